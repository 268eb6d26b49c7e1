// What settling a booking must pay (the sdk's split, which test/sdk/settlement.ts checks against the contract), what
// a transaction that settles one must do, the `Settled` events of a transaction, one booking in each settled state,
// and the dispute steps before a settle or a claim that the two share.
import assert from "node:assert/strict";
import { parseEventLogs, type Address, type Hash } from "viem";
import { settlesAt, split, type SplitResult } from "@earnest/sdk";
import { book, type Booked } from "./booking.js";
import { atTime, balanceOf, mined, txTimestamp } from "./chain.js";
import { ARBITER_TIMEOUT, ETH, FEE_BPS, HOUR, slotInDays, Status, TIMING, viem, type Fixture } from "./fixture.js";

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

/** How a booking is settled, and the outcome the settling transaction must give it. */
export type Settlement = {
  /** Sends the transaction that settles the booking. */
  send: () => Promise<Hash>;
  /** The status the booking must end in. */
  outcome: number;
  /** The customer's share that must apply, in basis points. */
  refundBps: bigint | number;
  /** The exact timestamp the transaction is mined at (it is set, then checked); left to the chain unless told. */
  at?: number;
  /** True when the transaction must also emit the merchant's `Claimed` to its payout address (settle and claim). */
  claimed?: boolean;
  /** Accounts besides the customer, the payout address and the escrow whose balance must not move (their gas
   *  aside): the caller, the merchant, staff. */
  unmoved?: Address[];
  /** True when the booking is all the escrow holds in its token and no fee is owed in it yet: then the escrow must
   *  hold exactly the booking's amount before and exactly its fee, all of it owed, after. */
  alone?: boolean;
};

/**
 * Sends `settlement` and asserts all that settling `booked` must do, in ETH or the offering's token: the `Settled`
 * event with the split of the booking's amount, `Claimed` when told, the customer's share paid to the customer and
 * the merchant's to the payout address (pushed: nobody here refuses), nothing to the `unmoved`, the escrow giving out
 * exactly both shares, the fee owed growing by the fee, the status, the block time when `at` is told, and what the
 * escrow holds when the booking is `alone`. Returns the transaction and the expected shares.
 */
export async function expectSettlement(
  f: Fixture,
  booked: Booked,
  settlement: Settlement,
): Promise<Shares & { hash: Hash }> {
  const { send, outcome, refundBps, at, claimed = false, unmoved = [], alone = false } = settlement;
  const expected = expectedSplit(booked.amount, refundBps);
  const { token } = await f.escrow.read.getOffering([booked.offeringId]);
  const payout = f.payout.account.address;
  const changes = [
    { address: booked.customer, amount: expected.customerShare },
    { address: payout, amount: expected.merchantShare },
    { address: f.escrow.address, amount: -(expected.customerShare + expected.merchantShare) },
    ...unmoved.map((address) => ({ address, amount: 0n })),
  ];
  // ETH balances are compared with the senders' gas added back (balancesHaveChanged); token ones here.
  const tokenBalances = () => Promise.all(changes.map(({ address }) => balanceOf(f, token, address)));
  const tokensBefore = token === ETH ? [] : await tokenBalances();
  const feesBefore = await f.escrow.read.feesOwed([token]);
  if (alone) {
    assert.equal(await balanceOf(f, token, f.escrow.address), booked.amount, "the escrow holds the booking alone");
    assert.equal(feesBefore, 0n);
  }
  if (at !== undefined) await atTime(at);
  const hash = await send();
  await mined(f, hash);
  await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
    booked.id,
    outcome,
    BigInt(refundBps),
    expected.customerShare,
    expected.merchantShare,
    expected.fee,
  ]);
  if (claimed) {
    await viem.assertions.emitWithArgs(hash, f.escrow, "Claimed", [
      f.merchant.account.address,
      token,
      payout,
      expected.merchantShare,
    ]);
  }
  if (token === ETH) {
    await viem.assertions.balancesHaveChanged(hash, changes);
  } else {
    const tokensAfter = await tokenBalances();
    assert.deepEqual(
      changes.map(({ address }, i) => [address, tokensAfter[i] - tokensBefore[i]]),
      changes.map(({ address, amount }) => [address, amount]),
    );
  }
  if (at !== undefined) assert.equal(await txTimestamp(f, hash), at);
  assert.equal(await f.escrow.read.feesOwed([token]), feesBefore + expected.fee);
  assert.equal((await f.escrow.read.getBooking([booked.id])).status, outcome);
  if (alone) {
    assert.equal(await balanceOf(f, token, f.escrow.address), expected.fee);
    assert.equal(await f.escrow.read.feesOwed([token]), expected.fee);
  }
  return { ...expected, hash };
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

/** The customer disputes `booked` at its slot's start, `slot`; the merchant's check-in after that is refused:
 *  check-in is frozen once disputed, so the booking can only settle as a no-show when the arbiter times out. */
export async function disputeThenRefuseCheckIn(f: Fixture, booked: Booked, slot: number): Promise<void> {
  await atTime(slot);
  await f.escrow.write.dispute([booked.id, "turned away at the door"], { account: f.customer.account });
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
    f.escrow,
    "WrongStatus",
    [booked.id, Status.Disputed],
  );
}

/**
 * The customer disputes `booked` (of offering 1, on the default terms) an hour into its slot, `slot`; `send`, a
 * settle or a claim of it, is then refused with DisputeUnresolved once the dispute window has closed and still one
 * second before the arbiter's deadline. Returns the deadline: the settle time plus the arbiter timeout.
 */
export async function expectUnresolvedUntilArbiterDeadline(
  f: Fixture,
  booked: Booked,
  slot: number,
  send: () => Promise<Hash>,
): Promise<number> {
  await atTime(slot + HOUR);
  await f.escrow.write.dispute([booked.id, "nobody was there"], { account: f.customer.account });
  const deadline = settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT;
  for (const at of [settlesAt({ slotStart: slot }, TIMING), deadline - 1]) {
    await atTime(at);
    await viem.assertions.revertWithCustomErrorWithArgs(send(), f.escrow, "DisputeUnresolved", [
      booked.id,
      BigInt(deadline),
    ]);
  }
  return deadline;
}
