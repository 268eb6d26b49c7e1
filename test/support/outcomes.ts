// What settling a booking must pay (the sdk's split, which test/sdk/settlement.ts checks against the contract), the
// `Settled` events of a transaction, and one booking in each settled state.
import assert from "node:assert/strict";
import { parseEventLogs, type Hash } from "viem";
import { settlesAt, split, type SplitResult } from "@earnest/sdk";
import { book } from "./booking.js";
import { atTime } from "./chain.js";
import { FEE_BPS, slotInDays, Status, TIMING, type Fixture } from "./fixture.js";

export type Shares = SplitResult;

/**
 * The split rule: the customer's share rounds down, the fee is taken (rounded down) from the merchant's gross share,
 * and the merchant gets the rest. Asserts the three sum to `amount`.
 */
export function expectedSplit(amount: bigint, refundBps: bigint | number, feeBps: bigint | number = FEE_BPS): Shares {
  const shares = split(amount, refundBps, feeBps);
  assert.equal(shares.customerShare + shares.merchantShare + shares.fee, amount);
  return shares;
}

/** The `Settled` events of a transaction, in order. */
export async function settledEvents(f: Pick<Fixture, "escrow" | "publicClient">, hash: Hash) {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi: f.escrow.abi, eventName: "Settled", logs: receipt.logs }).map((log) => log.args);
}

/** One booking in each settled state (claimed as a no-show, both cancels, resolved, checked in and settled by a
 *  stranger as fulfilled), with the status it ended in. */
export async function settledBookings(f: Fixture): Promise<Array<[bigint, number]>> {
  const slot = await slotInDays(f.grid, 3);
  const claimed = await book(f, f.ethOffering, slot, 1);
  const cancelled = await book(f, f.ethOffering, slot, 1);
  const merchantCancelled = await book(f, f.ethOffering, slot, 1);
  const resolved = await book(f, f.ethOffering, slot, 1, f.customer2);
  const fulfilled = await book(f, f.tokenOffering, slot, 1, f.customer2);
  await f.escrow.write.cancel([cancelled.id], { account: f.customer.account });
  await f.escrow.write.cancelByMerchant([merchantCancelled.id], { account: f.merchant.account });
  await atTime(slot);
  await f.escrow.write.checkIn([fulfilled.id], { account: f.merchant.account });
  await f.escrow.write.dispute([resolved.id, "not as described"], { account: f.customer2.account });
  await f.escrow.write.resolve([resolved.id, 3_550], { account: f.arbiter.account });
  await atTime(settlesAt({ slotStart: slot }, TIMING));
  await f.escrow.write.claim([[claimed.id]], { account: f.merchant.account });
  await f.escrow.write.settle([fulfilled.id], { account: f.stranger.account });
  return [
    [claimed.id, Status.NoShow],
    [cancelled.id, Status.CustomerCancelled],
    [merchantCancelled.id, Status.MerchantCancelled],
    [resolved.id, Status.Resolved],
    [fulfilled.id, Status.Fulfilled],
  ];
}
