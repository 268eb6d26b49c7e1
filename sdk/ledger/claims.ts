// What a merchant can claim now and how to split it into transactions that fit in a block. `claim` settles each
// booking as `settle` does (fulfilled if checked in, no-show otherwise) and skips bookings someone has settled
// already; the net amounts here are what the payout address receives.
import type { Address } from "viem";
import { canSettle, split } from "../settlement.js";
import type { Ledger, LedgerBooking } from "./build-ledger.js";

export type ClaimableBooking = {
  booking: LedgerBooking;
  token: Address;
  /** The merchant's share after the fee: what the payout address receives for it. */
  net: bigint;
  /** The no-show refund the claim pays the customer. */
  refund: bigint;
  fee: bigint;
};

/** The bookings that can settle at `now` (by anyone's `settle`, or in the merchant's `claim`): open, past their
 *  slot and dispute window, and if disputed, past the arbiter's time too (a dispute froze its check-in state).
 *  Oldest slot first. */
export function claimableBookings(ledger: Ledger, now: number): ClaimableBooking[] {
  const claimable: ClaimableBooking[] = [];
  for (const booking of ledger.bookings.values()) {
    const offering = ledger.offerings.get(booking.offeringId);
    if (!offering || !canSettle(booking, offering, now)) continue;
    const shares = split(booking.amount, booking.checkedIn ? 0 : offering.noShowRefundBps, booking.feeBps);
    claimable.push({
      booking,
      token: offering.token,
      net: shares.merchantShare,
      refund: shares.customerShare,
      fee: shares.fee,
    });
  }
  return claimable.sort((a, b) => a.booking.slotStart - b.booking.slotStart);
}

/** Net amounts per token. */
export function totalsByToken(claimable: readonly ClaimableBooking[]): Map<Address, bigint> {
  const totals = new Map<Address, bigint>();
  for (const c of claimable) totals.set(c.token, (totals.get(c.token) ?? 0n) + c.net);
  return totals;
}

/** Gas for `claim` (bench/gas.json: 61k for one booking, 635k for fifty, ~11.7k each after the first), rounded up
 *  and with the transfers the benchmark does not make: a no-show refund per booking, a payout per extra token. */
export const CLAIM_GAS = { base: 60_000, perBooking: 12_000, perRefund: 40_000, perToken: 40_000 } as const;

/** EIP-7825 caps a transaction's gas at 2^24 whatever the block allows. */
const TRANSACTION_GAS_CAP = 16_777_216n;

/** Splits the claim into batches whose estimated gas stays under half the block (or transaction) gas limit: the
 *  estimate is conservative and the block is shared with other transactions. */
export function planClaimBatches(claimable: readonly ClaimableBooking[], blockGasLimit: bigint): bigint[][] {
  const limit = blockGasLimit < TRANSACTION_GAS_CAP ? blockGasLimit : TRANSACTION_GAS_CAP;
  const budget = Number(limit / 2n);
  const cost = (c: ClaimableBooking, tokens: Set<Address>) =>
    CLAIM_GAS.perBooking + (c.refund > 0n ? CLAIM_GAS.perRefund : 0) + (tokens.has(c.token) ? 0 : CLAIM_GAS.perToken);
  const batches: bigint[][] = [];
  let batch: bigint[] = [];
  let tokens = new Set<Address>();
  let gas = CLAIM_GAS.base;
  for (const c of claimable) {
    if (batch.length > 0 && gas + cost(c, tokens) > budget) {
      batches.push(batch);
      batch = [];
      tokens = new Set();
      gas = CLAIM_GAS.base;
    }
    gas += cost(c, tokens);
    batch.push(c.booking.bookingId);
    tokens.add(c.token);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
