// Offering terms checked before any transaction: every rule `OfferingRegistry._validateTerms` enforces, named so a
// form can say which field is wrong, plus the terms the contract accepts but no customer could ever use (a window
// that opens and closes in the same second, a refund tier earlier than anyone can book, a fee cap below the fee
// already in force).
import { isAddressEqual, zeroAddress, type Address, type ContractFunctionArgs } from "viem";
import type { earnestEscrowAbi } from "./generated/abis.js";
import {
  BPS as WHOLE_BPS,
  MAX_ARBITER_TIMEOUT,
  MAX_DISPUTE_WINDOW,
  MAX_METADATA_BYTES,
  MAX_SLOT_LENGTH,
  MAX_TIERS,
} from "./generated/constants.js";

/** The argument of `createOffering`, as the generated ABI types it. */
export type OfferingTerms = ContractFunctionArgs<typeof earnestEscrowAbi, "nonpayable", "createOffering">[0];

/** The numeric fields, with the bit width the contract stores them in. */
const FIELD_BITS = {
  depositPerSeat: 96,
  seatsPerSlot: 16,
  slotLength: 32,
  firstSlotStart: 40,
  minLeadTime: 32,
  maxAdvance: 32,
  noShowRefundBps: 16,
  disputeWindow: 32,
  arbiterTimeout: 32,
  maxFeeBps: 16,
} as const;

export type NumericField = keyof typeof FIELD_BITS;

export type TermsProblem =
  | { code: "outOfRange"; field: NumericField }
  | { code: "zeroDeposit" }
  | { code: "zeroSeats" }
  | { code: "zeroSlotLength" }
  | { code: "slotTooLong"; max: number }
  | { code: "emptyBookingWindow" }
  | { code: "noShowShareAboveWhole" }
  | { code: "tooManyTiers"; max: number }
  | { code: "tierOutOfRange"; index: number }
  | { code: "tierShareAboveWhole"; index: number }
  | { code: "tierOutOfOrder"; index: number }
  | { code: "tierUnreachable"; index: number }
  | { code: "disputeWindowTooLong"; max: number }
  | { code: "arbiterTimeoutInvalid"; max: number }
  | { code: "arbiterNotIndependent" }
  | { code: "maxFeeBelowCurrentFee"; feeBps: number; maxFeeBps: number }
  | { code: "metadataTooLong"; length: number; max: number };

export type TermsProblemCode = TermsProblem["code"];

function fits(value: number | bigint, bits: number): boolean {
  if (typeof value === "number" && !Number.isSafeInteger(value)) return false;
  const big = BigInt(value);
  return big >= 0n && big < 1n << BigInt(bits);
}

/** What validation can take into account when it is known: who publishes (`merchant`), where that merchant is paid
 *  (`payout`), and the protocol fee in force for new bookings (`feeBps`). */
export type TermsContext = { merchant?: Address; payout?: Address; feeBps?: number };

/** Every problem with `terms`, in form order; empty when the contract will accept them and customers can book. */
export function validateTerms(terms: OfferingTerms, { merchant, payout, feeBps }: TermsContext = {}): TermsProblem[] {
  const problems: TermsProblem[] = [];
  for (const field of Object.keys(FIELD_BITS) as NumericField[]) {
    if (!fits(terms[field], FIELD_BITS[field])) problems.push({ code: "outOfRange", field });
  }
  if (terms.depositPerSeat === 0n) problems.push({ code: "zeroDeposit" });
  if (terms.seatsPerSlot === 0) problems.push({ code: "zeroSeats" });
  if (terms.slotLength === 0) problems.push({ code: "zeroSlotLength" });
  if (terms.slotLength > MAX_SLOT_LENGTH) problems.push({ code: "slotTooLong", max: MAX_SLOT_LENGTH });
  // The contract only refuses max < min; with max == min a slot is bookable during one second, which nobody hits.
  if (terms.maxAdvance <= terms.minLeadTime) problems.push({ code: "emptyBookingWindow" });
  if (terms.noShowRefundBps > WHOLE_BPS) problems.push({ code: "noShowShareAboveWhole" });

  const tiers = terms.cancellationTiers;
  if (tiers.length > MAX_TIERS) problems.push({ code: "tooManyTiers", max: MAX_TIERS });
  tiers.forEach((tier, index) => {
    if (!fits(tier.secondsBeforeStart, 32) || !fits(tier.refundBps, 16))
      problems.push({ code: "tierOutOfRange", index });
    else if (tier.refundBps > WHOLE_BPS) problems.push({ code: "tierShareAboveWhole", index });
    const previous = tiers[index - 1];
    if (previous && (tier.secondsBeforeStart >= previous.secondsBeforeStart || tier.refundBps > previous.refundBps)) {
      problems.push({ code: "tierOutOfOrder", index });
    }
    // Nobody holds a booking longer than maxAdvance before its start, so an earlier tier never applies.
    if (tier.secondsBeforeStart > terms.maxAdvance) problems.push({ code: "tierUnreachable", index });
  });

  if (terms.disputeWindow > MAX_DISPUTE_WINDOW)
    problems.push({ code: "disputeWindowTooLong", max: MAX_DISPUTE_WINDOW });
  const hasArbiter = !isAddressEqual(terms.arbiter, zeroAddress);
  if (hasArbiter && (terms.arbiterTimeout === 0 || terms.arbiterTimeout > MAX_ARBITER_TIMEOUT)) {
    problems.push({ code: "arbiterTimeoutInvalid", max: MAX_ARBITER_TIMEOUT });
  }
  // An arbiter must be independent: neither the merchant nor the address the merchant is paid at.
  const party = [merchant, payout].some((address) => address && isAddressEqual(terms.arbiter, address));
  if (hasArbiter && party) problems.push({ code: "arbiterNotIndependent" });
  // The contract takes such terms, but refuses every booking while the fee stays above the offering's cap.
  if (feeBps !== undefined && terms.maxFeeBps < feeBps) {
    problems.push({ code: "maxFeeBelowCurrentFee", feeBps, maxFeeBps: terms.maxFeeBps });
  }

  const length = new TextEncoder().encode(terms.metadata).length;
  if (length > MAX_METADATA_BYTES) problems.push({ code: "metadataTooLong", length, max: MAX_METADATA_BYTES });
  return problems;
}
