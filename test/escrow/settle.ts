// settle: anyone settles a booking once it can settle (its slot and dispute window over; if disputed, the arbiter's
// time run out): fulfilled if checked in, a no-show otherwise. The customer's share goes to the customer, the
// merchant's to its payout address, each pushed or credited, so nobody waits on the merchant.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEventLogs } from "viem";
import { settlesAt } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance, mined } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  createOffering,
  DAY,
  deployRevertingReceiver,
  deployWithOddOfferings,
  deployWithOfferings,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  ODD_ETH_DEPOSIT,
  slotInDays,
  Status,
  TIMING,
  USD_DEPOSIT,
  viem,
  type Fixture,
  type Wallet,
} from "../support/fixture.js";
import { expectedSplit, settledBookings, settledEvents } from "../support/outcomes.js";

/** When a booking of an offering on the default terms can settle. */
function settleTime(slot: number): number {
  return settlesAt({ slotStart: slot }, TIMING);
}

/**
 * `by` settles an ETH booking at exactly `at`; asserts the outcome, the events, the payouts (the caller gets nothing
 * unless it is the customer), the fee owed and the status.
 */
async function settleEthAndCheck(
  f: Fixture,
  booked: Booked,
  at: number,
  by: Wallet,
  outcome: number,
  refundBps: bigint | number,
): Promise<void> {
  const expected = expectedSplit(booked.amount, refundBps);
  const feesBefore = await f.escrow.read.feesOwed([ETH]);
  await atTime(at);
  const hash = await f.escrow.write.settle([booked.id], { account: by.account });
  await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
    booked.id,
    outcome,
    BigInt(refundBps),
    expected.customerShare,
    expected.merchantShare,
    expected.fee,
  ]);
  await viem.assertions.emitWithArgs(hash, f.escrow, "Claimed", [
    f.merchant.account.address,
    ETH,
    f.payout.account.address,
    expected.merchantShare,
  ]);
  const changes = [
    { address: f.customer.account.address, amount: expected.customerShare },
    { address: f.payout.account.address, amount: expected.merchantShare },
    { address: f.merchant.account.address, amount: 0n },
    { address: f.escrow.address, amount: -(expected.customerShare + expected.merchantShare) },
  ];
  if (by.account.address !== f.customer.account.address) changes.push({ address: by.account.address, amount: 0n });
  await viem.assertions.balancesHaveChanged(hash, changes);
  const block = await f.publicClient.getBlock({ blockNumber: (await mined(f, hash)).blockNumber });
  assert.equal(block.timestamp, BigInt(at));
  assert.equal(await f.escrow.read.feesOwed([ETH]), feesBefore + expected.fee);
  assert.equal((await f.escrow.read.getBooking([booked.id])).status, outcome);
}

/** The fixture plus offering 3: the default terms, but a no-show gets everything back. */
async function deployWithFullNoShowRefund() {
  const f = await deployWithOfferings();
  await createOffering(f, { noShowRefundBps: 10_000 });
  return { ...f, fullRefundOffering: 3 };
}

describe("settle", () => {
  describe("outcomes", () => {
    it("succeeds when the customer settles a no-show the merchant never claimed, getting the no-show share", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      // 0.02 ETH: 20 % = 0.004 ETH back; the fee is 2.5 % of the merchant's 0.016 ETH.
      assert.deepEqual(expectedSplit(booked.amount, NO_SHOW_BPS), {
        customerShare: 4_000_000_000_000_000n,
        merchantShare: 15_600_000_000_000_000n,
        fee: 400_000_000_000_000n,
      });
      await settleEthAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds when a stranger settles, paying the customer and the payout address, not the stranger", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await settleEthAndCheck(f, booked, settleTime(slot) + DAY, f.stranger, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds as fulfilled for a checked-in booking: the merchant's share to the payout address", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 3);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await settleEthAndCheck(f, booked, settleTime(slot), f.stranger, Status.Fulfilled, 0);
    });

    it("succeeds with everything to the customer for a 100 % no-show share, years after the slot", async () => {
      const f = await networkHelpers.loadFixture(deployWithFullNoShowRefund);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.fullRefundOffering, slot, 2);
      assert.deepEqual(expectedSplit(booked.amount, 10_000), {
        customerShare: 2n * ETH_DEPOSIT,
        merchantShare: 0n,
        fee: 0n,
      });
      await settleEthAndCheck(f, booked, settleTime(slot) + 10 * 365 * DAY, f.customer, Status.NoShow, 10_000);
      assert.equal(await f.escrow.read.feesOwed([ETH]), 0n);
      assert.equal(await ethBalance(f, f.escrow.address), 0n);
    });

    it("succeeds with shares rounded down for the customer and the fee on an odd deposit", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.oddEthOffering, slot, 1);
      // 1_000_000_000_000_007 × 11.11 % = 111_100_000_000_000.77 → 111_100_000_000_000;
      // fee = 888_900_000_000_007 × 2.5 % = 22_222_500_000_000.17 → 22_222_500_000_000.
      assert.deepEqual(expectedSplit(ODD_ETH_DEPOSIT, 1_111), {
        customerShare: 111_100_000_000_000n,
        merchantShare: 866_677_500_000_007n,
        fee: 22_222_500_000_000n,
      });
      await settleEthAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, 1_111);
    });

    it("succeeds in the stablecoin with token payouts and one Claimed event", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 4);
      // 100 USD: 20 USD back; fee 2.5 % of 80 = 2 USD; merchant 78 USD.
      const expected = expectedSplit(4n * USD_DEPOSIT, NO_SHOW_BPS);
      assert.deepEqual(expected, { customerShare: 20_000_000n, merchantShare: 78_000_000n, fee: 2_000_000n });
      const customerBefore = await f.stablecoin.read.balanceOf([f.customer.account.address]);
      const payoutBefore = await f.stablecoin.read.balanceOf([f.payout.account.address]);
      await atTime(settleTime(slot));
      const hash = await f.escrow.write.settle([booked.id], { account: f.stranger.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Claimed", [
        f.merchant.account.address,
        f.stablecoin.address,
        f.payout.account.address,
        expected.merchantShare,
      ]);
      const receipt = await mined(f, hash);
      assert.equal(parseEventLogs({ abi: f.escrow.abi, eventName: "Claimed", logs: receipt.logs }).length, 1);
      const [settled] = await settledEvents(f, hash);
      assert.deepEqual(
        [settled.outcome, settled.customerShare, settled.merchantShare, settled.fee],
        [Status.NoShow, expected.customerShare, expected.merchantShare, expected.fee],
      );
      assert.equal(
        await f.stablecoin.read.balanceOf([f.customer.account.address]),
        customerBefore + expected.customerShare,
      );
      assert.equal(
        await f.stablecoin.read.balanceOf([f.payout.account.address]),
        payoutBefore + expected.merchantShare,
      );
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), expected.fee);
      assert.equal(await f.escrow.read.feesOwed([f.stablecoin.address]), expected.fee);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await settleEthAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, NO_SHOW_BPS);
    });
  });

  describe("timing", () => {
    it("reverts one second before the slot end plus dispute window, and succeeds at it", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(settleTime(slot) - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.settle([booked.id], { account: f.customer.account }),
        f.escrow,
        "NotYetSettled",
        [booked.id, BigInt(settleTime(slot))],
      );
      await settleEthAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, NO_SHOW_BPS);
    });

    it("reverts before the slot has started", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.settle([booked.id], { account: f.stranger.account }),
        f.escrow,
        "NotYetSettled",
        [booked.id, BigInt(settleTime(slot))],
      );
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), USD_DEPOSIT);
    });

    it("reverts while the arbiter may still rule, and settles as a no-show at exactly its deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(slot + HOUR);
      await f.escrow.write.dispute([booked.id, "nobody was there"], { account: f.customer.account });
      const deadline = settleTime(slot) + ARBITER_TIMEOUT;
      for (const at of [settleTime(slot), deadline - 1]) {
        await atTime(at);
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.settle([booked.id], { account: f.customer.account }),
          f.escrow,
          "DisputeUnresolved",
          [booked.id, BigInt(deadline)],
        );
      }
      await settleEthAndCheck(f, booked, deadline, f.customer, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds as fulfilled after the arbiter timed out on a booking checked in before the dispute", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await f.escrow.write.dispute([booked.id, "the food was cold"], { account: f.customer.account });
      await settleEthAndCheck(f, booked, settleTime(slot) + ARBITER_TIMEOUT, f.stranger, Status.Fulfilled, 0);
    });

    it("succeeds as a no-show after the arbiter timed out although the merchant tried to check in after the dispute", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await atTime(slot);
      await f.escrow.write.dispute([booked.id, "turned away at the door"], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.Disputed],
      );
      await settleEthAndCheck(f, booked, settleTime(slot) + ARBITER_TIMEOUT, f.customer, Status.NoShow, NO_SHOW_BPS);
    });
  });

  describe("reverts", () => {
    it("reverts when the booking was settled already", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(settleTime(slot));
      await f.escrow.write.settle([booked.id], { account: f.customer.account });
      const escrowBefore = await ethBalance(f, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.settle([booked.id], { account: f.stranger.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.NoShow],
      );
      assert.equal(await ethBalance(f, f.escrow.address), escrowBefore);
    });

    it("reverts when the booking was claimed, cancelled, resolved or settled", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      for (const [id, status] of await settledBookings(f)) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.settle([id], { account: f.customer.account }),
          f.escrow,
          "WrongStatus",
          [id, status],
        );
      }
    });

    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      const missing = booked.id + 1n;
      await atTime(settleTime(slot));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.settle([missing], { account: f.customer.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
    });
  });

  describe("refusing recipients", () => {
    it("succeeds with a credit for a customer that refuses ETH, the payout paid at once", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const receiver = await deployRevertingReceiver();
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1, receiver);
      const expected = expectedSplit(ETH_DEPOSIT, NO_SHOW_BPS);
      await atTime(settleTime(slot));
      const hash = await f.escrow.write.settle([booked.id], { account: f.stranger.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, expected.customerShare]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: receiver.address, amount: 0n },
        { address: f.payout.account.address, amount: expected.merchantShare },
        { address: f.escrow.address, amount: -expected.merchantShare },
      ]);
      assert.equal(await f.escrow.read.credits([ETH, receiver.address]), expected.customerShare);
      assert.equal(await ethBalance(f, f.escrow.address), expected.customerShare + expected.fee);
    });

    it("succeeds with a credit for a payout address that refuses ETH, the customer paid at once", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const receiver = await deployRevertingReceiver();
      await f.escrow.write.updateMerchant([receiver.address, "Chez Earnest"], { account: f.merchant.account });
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      const expected = expectedSplit(booked.amount, NO_SHOW_BPS);
      await atTime(settleTime(slot));
      const hash = await f.escrow.write.settle([booked.id], { account: f.customer.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Claimed", [
        f.merchant.account.address,
        ETH,
        receiver.address,
        expected.merchantShare,
      ]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, expected.merchantShare]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.customer.account.address, amount: expected.customerShare },
        { address: receiver.address, amount: 0n },
      ]);
      assert.equal(await f.escrow.read.credits([ETH, receiver.address]), expected.merchantShare);
      assert.equal(await ethBalance(f, f.escrow.address), expected.merchantShare + expected.fee);
    });
  });
});
