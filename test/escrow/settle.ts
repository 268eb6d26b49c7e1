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
import {
  disputeThenRefuseCheckIn,
  expectedSplit,
  expectSettlement,
  expectUnresolvedUntilArbiterDeadline,
  settledBookings,
  type Settlement,
} from "../support/outcomes.js";

/** When a booking of an offering on the default terms can settle. */
function settleTime(slot: number): number {
  return settlesAt({ slotStart: slot }, TIMING);
}

/**
 * `by` settles a booking at exactly `at`; asserts the outcome, the events, the payouts (the caller and the merchant get
 * nothing unless the caller is the customer), the fee owed and the status.
 */
async function settleAndCheck(
  f: Fixture,
  booked: Booked,
  at: number,
  by: Wallet,
  outcome: number,
  refundBps: bigint | number,
  more: Pick<Settlement, "alone"> = {},
) {
  const unmoved = [f.merchant, by]
    .map((wallet) => wallet.account.address)
    .filter((address) => address !== f.customer.account.address);
  return expectSettlement(f, booked, {
    send: () => f.escrow.write.settle([booked.id], { account: by.account }),
    outcome,
    refundBps,
    at,
    claimed: true,
    unmoved,
    ...more,
  });
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
      await settleAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds when a stranger settles, paying the customer and the payout address, not the stranger", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await settleAndCheck(f, booked, settleTime(slot) + DAY, f.stranger, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds as fulfilled for a checked-in booking: the merchant's share to the payout address", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 3);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await settleAndCheck(f, booked, settleTime(slot), f.stranger, Status.Fulfilled, 0);
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
      const tenYearsOn = settleTime(slot) + 10 * 365 * DAY;
      const { fee } = await settleAndCheck(f, booked, tenYearsOn, f.customer, Status.NoShow, 10_000, { alone: true });
      assert.equal(fee, 0n);
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
      await settleAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, 1_111);
    });

    it("succeeds in the stablecoin with token payouts and one Claimed event", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 4);
      // 100 USD: 20 USD back; fee 2.5 % of 80 = 2 USD; merchant 78 USD.
      const expected = expectedSplit(4n * USD_DEPOSIT, NO_SHOW_BPS);
      assert.deepEqual(expected, { customerShare: 20_000_000n, merchantShare: 78_000_000n, fee: 2_000_000n });
      const { hash } = await settleAndCheck(f, booked, settleTime(slot), f.stranger, Status.NoShow, NO_SHOW_BPS, {
        alone: true,
      });
      const receipt = await mined(f, hash);
      assert.equal(parseEventLogs({ abi: f.escrow.abi, eventName: "Claimed", logs: receipt.logs }).length, 1);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await settleAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, NO_SHOW_BPS);
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
      await settleAndCheck(f, booked, settleTime(slot), f.customer, Status.NoShow, NO_SHOW_BPS);
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
      const deadline = await expectUnresolvedUntilArbiterDeadline(f, booked, slot, () =>
        f.escrow.write.settle([booked.id], { account: f.customer.account }),
      );
      await settleAndCheck(f, booked, deadline, f.customer, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds as fulfilled after the arbiter timed out on a booking checked in before the dispute", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await f.escrow.write.dispute([booked.id, "the food was cold"], { account: f.customer.account });
      await settleAndCheck(f, booked, settleTime(slot) + ARBITER_TIMEOUT, f.stranger, Status.Fulfilled, 0);
    });

    it("succeeds as a no-show after the arbiter timed out although the merchant tried to check in after the dispute", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await disputeThenRefuseCheckIn(f, booked, slot);
      await settleAndCheck(f, booked, settleTime(slot) + ARBITER_TIMEOUT, f.customer, Status.NoShow, NO_SHOW_BPS);
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
