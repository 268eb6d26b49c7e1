// What a claim did, read back from its transactions' receipts rather than predicted: the bookings it settled (the
// escrow's `Settled` logs), what went to which payout address per token (`Claimed(merchant, token, payout, share)`)
// and what of it the payout address refused and holds as a credit instead (`Credited`). A claim can take several
// transactions (planClaimBatches); the receipt sums them.
import { isAddressEqual, parseEventLogs, type Address, type Hex, type Log } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { BookingStatus } from "../generated/enums.js";

/** The part of a transaction receipt the claim receipt reads (viem's `TransactionReceipt` has it). */
export type ReceiptLogs = { transactionHash: Hex; logs: readonly Log[] };

export type ClaimedBooking = {
  bookingId: bigint;
  /** `Fulfilled` or `NoShow`: how the claim settled it. */
  outcome: BookingStatus;
  merchantShare: bigint;
  /** The no-show refund paid to the customer. */
  customerShare: bigint;
  fee: bigint;
  transactionHash: Hex;
};

export type ClaimPayout = {
  token: Address;
  /** Where the shares went, as the escrow logged it. */
  payout: Address;
  amount: bigint;
  /** The part the payout address did not accept as a transfer: credited to it in the escrow, to withdraw. */
  credited: bigint;
};

export type ClaimReceipt = {
  /** In the order the escrow settled them. */
  bookings: ClaimedBooking[];
  /** One entry per token and payout address, in the order first logged. */
  payouts: ClaimPayout[];
  transactions: Hex[];
};

/** The receipt of `merchant`'s claim from the receipts of its transactions on `escrow`; logs of other contracts (a
 *  token's transfers, a Safe's execution) and other merchants' claims are ignored. */
export function claimReceipt(
  receipts: readonly ReceiptLogs[],
  { escrow, merchant }: { escrow: Address; merchant: Address },
): ClaimReceipt {
  const receipt: ClaimReceipt = { bookings: [], payouts: [], transactions: [] };
  const credits: { token: Address; account: Address; amount: bigint }[] = [];
  for (const { transactionHash, logs } of receipts) {
    receipt.transactions.push(transactionHash);
    const ours = logs.filter((log) => isAddressEqual(log.address, escrow));
    for (const log of parseEventLogs({ abi: earnestEscrowAbi, logs: ours })) {
      if (log.eventName === "Settled") {
        const { bookingId, outcome, customerShare, merchantShare, fee } = log.args;
        receipt.bookings.push({
          bookingId,
          outcome: outcome as BookingStatus,
          merchantShare,
          customerShare,
          fee,
          transactionHash,
        });
      } else if (log.eventName === "Claimed" && isAddressEqual(log.args.merchant, merchant)) {
        const { token, payout, amount } = log.args;
        const entry = receipt.payouts.find((p) => isAddressEqual(p.token, token) && isAddressEqual(p.payout, payout));
        if (entry) entry.amount += amount;
        else receipt.payouts.push({ token, payout, amount, credited: 0n });
      } else if (log.eventName === "Credited") {
        credits.push(log.args);
      }
    }
  }
  // A refused transfer to the payout address is credited to it; refused no-show refunds are the customers' credits
  // (a payout address that is also a refunded customer cannot be told apart: never more than its share counts).
  for (const credit of credits) {
    const entry = receipt.payouts.find(
      (p) => isAddressEqual(p.token, credit.token) && isAddressEqual(p.payout, credit.account),
    );
    if (entry)
      entry.credited = entry.credited + credit.amount > entry.amount ? entry.amount : entry.credited + credit.amount;
  }
  return receipt;
}
