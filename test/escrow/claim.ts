// Claims: the merchant settles bookings whose slot and dispute window have passed, in batches, one payout per token;
// bookings someone already settled are skipped, so a front-run `settle` cannot fail the batch. Staff never claim.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, parseEventLogs } from "viem";
import { settlesAt, STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance, mined } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  DAY,
  deployRevertingReceiver,
  deployWithOfferings,
  deployWithStaff,
  deployWithTwoMerchants,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  SLOT_LENGTH,
  slotInDays,
  Status,
  TIMING,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";
import {
  disputeThenRefuseCheckIn,
  expectedSplit,
  expectSettlement,
  expectUnresolvedUntilArbiterDeadline,
  settledBookings,
  settledEvents,
} from "../support/outcomes.js";

/** The merchant claims one booking at exactly `at`; asserts the outcome, the payouts, the fee and the events. */
async function claimOneAndCheck(f: Fixture, booked: Booked, at: number, outcome: number, refundBps: bigint | number) {
  return expectSettlement(f, booked, {
    send: () => f.escrow.write.claim([[booked.id]], { account: f.merchant.account }),
    outcome,
    refundBps,
    at,
    claimed: true,
  });
}

describe("claim", () => {
  describe("outcomes", () => {
    it("succeeds with a fulfilled outcome for a checked-in booking: merchant gets the amount less the fee", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 3);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      assert.deepEqual(expectedSplit(3n * ETH_DEPOSIT, 0), {
        customerShare: 0n,
        merchantShare: 29_250_000_000_000_000n,
        fee: 750_000_000_000_000n,
      });
      await claimOneAndCheck(f, booked, settlesAt({ slotStart: slot }, TIMING), Status.Fulfilled, 0);
    });

    it("succeeds with a no-show outcome: the customer gets 20 %", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      assert.deepEqual(expectedSplit(2n * ETH_DEPOSIT, NO_SHOW_BPS), {
        customerShare: 4_000_000_000_000_000n,
        merchantShare: 15_600_000_000_000_000n,
        fee: 400_000_000_000_000n,
      });
      await claimOneAndCheck(f, booked, settlesAt({ slotStart: slot }, TIMING), Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds as fulfilled when a checked-in booking was disputed and the arbiter timed out", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await f.escrow.write.dispute([booked.id, "not as described"], { account: f.customer.account });
      const deadline = settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT;
      await claimOneAndCheck(f, booked, deadline, Status.Fulfilled, 0);
    });

    it("succeeds as a no-show when a booking not checked in was disputed and the arbiter timed out", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(settlesAt({ slotStart: slot }, TIMING) - 1);
      await f.escrow.write.dispute([booked.id, "not as described"], { account: f.customer.account });
      const deadline = settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT;
      await claimOneAndCheck(f, booked, deadline + DAY, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds as a no-show when the merchant tried to check in after the dispute and the arbiter timed out", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await disputeThenRefuseCheckIn(f, booked, slot);
      await claimOneAndCheck(
        f,
        booked,
        settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT,
        Status.NoShow,
        NO_SHOW_BPS,
      );
    });

    it("succeeds with the fee snapshotted at booking, not the fee set afterwards", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.setFee([1_000], { account: f.owner.account });
      // expectedSplit uses the 250 bps the booking was made with.
      await claimOneAndCheck(f, booked, settlesAt({ slotStart: slot }, TIMING), Status.NoShow, NO_SHOW_BPS);
      assert.equal(await f.escrow.read.feesOwed([ETH]), 200_000_000_000_000n);
    });
  });

  describe("batches", () => {
    it("succeeds across outcomes and both tokens with one Claimed event per token and exact totals", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const slot2 = slot + SLOT_LENGTH;
      const fulfilled = await book(f, f.ethOffering, slot, 2);
      const noShow = await book(f, f.ethOffering, slot, 1, f.customer2);
      const disputedCheckedIn = await book(f, f.ethOffering, slot, 1);
      const disputedNoShow = await book(f, f.ethOffering, slot2, 1, f.customer2);
      const usdFulfilled = await book(f, f.tokenOffering, slot, 3);
      const usdNoShow = await book(f, f.tokenOffering, slot, 1, f.customer2);

      await atTime(slot);
      for (const b of [fulfilled, disputedCheckedIn, usdFulfilled]) {
        await f.escrow.write.checkIn([b.id], { account: f.merchant.account });
      }
      await f.escrow.write.dispute([disputedCheckedIn.id, "cold food"], { account: f.customer.account });
      await atTime(slot2 + HOUR);
      await f.escrow.write.dispute([disputedNoShow.id, "closed"], { account: f.customer2.account });

      const eth = [
        expectedSplit(2n * ETH_DEPOSIT, 0),
        expectedSplit(ETH_DEPOSIT, NO_SHOW_BPS),
        expectedSplit(ETH_DEPOSIT, 0),
        expectedSplit(ETH_DEPOSIT, NO_SHOW_BPS),
      ];
      const usd = [expectedSplit(3n * USD_DEPOSIT, 0), expectedSplit(USD_DEPOSIT, NO_SHOW_BPS)];
      const ethMerchant = eth.reduce((sum, s) => sum + s.merchantShare, 0n);
      const ethFees = eth.reduce((sum, s) => sum + s.fee, 0n);
      const ethRefunds = eth[1].customerShare + eth[3].customerShare;
      const usdMerchant = usd[0].merchantShare + usd[1].merchantShare;
      const usdFees = usd[0].fee + usd[1].fee;
      // Independently: 0.05 ETH held; refunds 2 × 0.002; fees 2.5 % of the remaining 0.046.
      assert.equal(ethRefunds, 4_000_000_000_000_000n);
      assert.equal(ethFees, 1_150_000_000_000_000n);
      assert.equal(ethMerchant, 44_850_000_000_000_000n);
      // 100 USD held; refund 5; fee 2.5 % of 95 = 2.375; merchant 92.625.
      assert.equal(usd[1].customerShare, 5_000_000n);
      assert.equal(usdFees, 2_375_000n);
      assert.equal(usdMerchant, 92_625_000n);

      const usdPayoutBefore = await f.stablecoin.read.balanceOf([f.payout.account.address]);
      const usdCustomer2Before = await f.stablecoin.read.balanceOf([f.customer2.account.address]);
      const usdCustomerBefore = await f.stablecoin.read.balanceOf([f.customer.account.address]);

      // The later of the two arbiter deadlines, exactly.
      await atTime(settlesAt({ slotStart: slot2 }, TIMING) + ARBITER_TIMEOUT);
      const batch = [fulfilled, usdFulfilled, noShow, usdNoShow, disputedCheckedIn, disputedNoShow];
      const hash = await f.escrow.write.claim([batch.map((b) => b.id)], { account: f.merchant.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.payout.account.address, amount: ethMerchant },
        { address: f.customer2.account.address, amount: ethRefunds },
        { address: f.customer.account.address, amount: 0n },
        { address: f.escrow.address, amount: -(ethMerchant + ethRefunds) },
      ]);

      const receipt = await mined(f, hash);
      const claimed = parseEventLogs({ abi: f.escrow.abi, eventName: "Claimed", logs: receipt.logs }).map(
        (log) => log.args,
      );
      assert.deepEqual(claimed, [
        {
          merchant: getAddress(f.merchant.account.address),
          token: ETH,
          payout: getAddress(f.payout.account.address),
          amount: ethMerchant,
        },
        {
          merchant: getAddress(f.merchant.account.address),
          token: getAddress(f.stablecoin.address),
          payout: getAddress(f.payout.account.address),
          amount: usdMerchant,
        },
      ]);

      const settled = await settledEvents(f, hash);
      assert.deepEqual(
        settled.map((s) => [s.bookingId, s.outcome, s.refundBps, s.customerShare, s.merchantShare, s.fee]),
        [
          [fulfilled.id, Status.Fulfilled, 0n, eth[0].customerShare, eth[0].merchantShare, eth[0].fee],
          [usdFulfilled.id, Status.Fulfilled, 0n, usd[0].customerShare, usd[0].merchantShare, usd[0].fee],
          [noShow.id, Status.NoShow, NO_SHOW_BPS, eth[1].customerShare, eth[1].merchantShare, eth[1].fee],
          [usdNoShow.id, Status.NoShow, NO_SHOW_BPS, usd[1].customerShare, usd[1].merchantShare, usd[1].fee],
          [disputedCheckedIn.id, Status.Fulfilled, 0n, eth[2].customerShare, eth[2].merchantShare, eth[2].fee],
          [disputedNoShow.id, Status.NoShow, NO_SHOW_BPS, eth[3].customerShare, eth[3].merchantShare, eth[3].fee],
        ],
      );

      assert.equal(await f.stablecoin.read.balanceOf([f.payout.account.address]), usdPayoutBefore + usdMerchant);
      assert.equal(
        await f.stablecoin.read.balanceOf([f.customer2.account.address]),
        usdCustomer2Before + usd[1].customerShare,
      );
      assert.equal(await f.stablecoin.read.balanceOf([f.customer.account.address]), usdCustomerBefore);
      assert.equal(await f.escrow.read.feesOwed([ETH]), ethFees);
      assert.equal(await f.escrow.read.feesOwed([f.stablecoin.address]), usdFees);
      // Everything settled: the escrow holds exactly the fees owed.
      assert.equal(await ethBalance(f, f.escrow.address), ethFees);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), usdFees);
    });

    it("succeeds with a single Claimed event for a batch in one token", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const a = await book(f, f.tokenOffering, slot, 2);
      const b = await book(f, f.tokenOffering, slot + SLOT_LENGTH, 5, f.customer2);
      await atTime(settlesAt({ slotStart: slot + SLOT_LENGTH }, TIMING));
      const hash = await f.escrow.write.claim([[b.id, a.id]], { account: f.merchant.account });
      const total =
        expectedSplit(2n * USD_DEPOSIT, NO_SHOW_BPS).merchantShare +
        expectedSplit(5n * USD_DEPOSIT, NO_SHOW_BPS).merchantShare;
      assert.equal(total, 136_500_000n);
      const receipt = await mined(f, hash);
      const claimed = parseEventLogs({ abi: f.escrow.abi, eventName: "Claimed", logs: receipt.logs });
      assert.equal(claimed.length, 1);
      assert.equal(claimed[0].args.amount, total);
      assert.equal(claimed[0].args.token, getAddress(f.stablecoin.address));
    });
  });

  describe("bookings settled already", () => {
    it("succeeds in paying only the rest when someone settled a booking of the batch first", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const front = await book(f, f.ethOffering, slot, 2);
      const rest = await book(f, f.ethOffering, slot, 1, f.customer2);
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      // The customer settles first, as a front-runner of the merchant's claim would.
      await f.escrow.write.settle([front.id], { account: f.customer.account });
      const { hash } = await expectSettlement(f, rest, {
        send: () => f.escrow.write.claim([[front.id, rest.id]], { account: f.merchant.account }),
        outcome: Status.NoShow,
        refundBps: NO_SHOW_BPS,
        claimed: true,
        unmoved: [f.customer.account.address],
      });
      const settled = await settledEvents(f, hash);
      assert.deepEqual(
        settled.map((e) => [e.bookingId, e.outcome]),
        [[rest.id, Status.NoShow]],
      );
    });

    it("succeeds in paying a booking once when it appears twice in one batch", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      const { hash } = await expectSettlement(f, booked, {
        send: () => f.escrow.write.claim([[booked.id, booked.id]], { account: f.merchant.account }),
        outcome: Status.NoShow,
        refundBps: NO_SHOW_BPS,
        claimed: true,
        alone: true,
      });
      assert.equal((await settledEvents(f, hash)).length, 1);
    });

    it("succeeds in paying nothing when every booking of the batch was claimed, cancelled, resolved or settled", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const ids = (await settledBookings(f)).map(([id]) => id);
      const ethBefore = await ethBalance(f, f.escrow.address);
      const usdBefore = await f.stablecoin.read.balanceOf([f.escrow.address]);
      const feesBefore = [await f.escrow.read.feesOwed([ETH]), await f.escrow.read.feesOwed([f.stablecoin.address])];
      const hash = await f.escrow.write.claim([ids], { account: f.merchant.account });
      const { logs } = await mined(f, hash);
      assert.deepEqual(logs, []);
      assert.equal(await ethBalance(f, f.escrow.address), ethBefore);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), usdBefore);
      assert.deepEqual(
        [await f.escrow.read.feesOwed([ETH]), await f.escrow.read.feesOwed([f.stablecoin.address])],
        feesBefore,
      );
    });
  });

  describe("timing", () => {
    it("reverts one second before the slot end plus dispute window, and succeeds at it", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(settlesAt({ slotStart: slot }, TIMING) - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.claim([[booked.id]], { account: f.merchant.account }),
        f.escrow,
        "NotYetSettled",
        [booked.id, BigInt(settlesAt({ slotStart: slot }, TIMING))],
      );
      await claimOneAndCheck(f, booked, settlesAt({ slotStart: slot }, TIMING), Status.NoShow, NO_SHOW_BPS);
    });

    it("reverts when the slot has not started", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.claim([[booked.id]], { account: f.merchant.account }),
        f.escrow,
        "NotYetSettled",
        [booked.id, BigInt(settlesAt({ slotStart: slot }, TIMING))],
      );
    });

    it("reverts while the arbiter may still rule, until exactly its deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      const deadline = await expectUnresolvedUntilArbiterDeadline(f, booked, slot, () =>
        f.escrow.write.claim([[booked.id]], { account: f.merchant.account }),
      );
      await claimOneAndCheck(f, booked, deadline, Status.NoShow, NO_SHOW_BPS);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 4);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await claimOneAndCheck(f, booked, settlesAt({ slotStart: slot }, TIMING) + HOUR, Status.Fulfilled, 0);
    });
  });

  describe("reverts", () => {
    it("reverts when the batch is empty", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.claim([[]], { account: f.merchant.account }),
        f.escrow,
        "NothingToClaim",
        [],
      );
    });

    it("reverts when a booking of the batch belongs to another merchant's offering", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const slot = await slotInDays(f.grid, 3);
      const own = await book(f, f.ethOffering, slot, 1);
      const other = await book(f, f.otherOffering, slot, 1, f.customer2);
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.claim([[own.id, other.id]], { account: f.merchant.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [other.id, getAddress(f.merchant.account.address), 0],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.claim([[own.id]], { account: f.stranger.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [own.id, getAddress(f.stranger.account.address), 0],
      );
      assert.equal((await f.escrow.read.getBooking([own.id])).status, Status.Booked);
      assert.equal((await f.escrow.read.getBooking([other.id])).status, Status.Booked);
      assert.equal(await ethBalance(f, f.escrow.address), 2n * ETH_DEPOSIT);
    });

    it("reverts for the merchant's staff, whatever roles it holds", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      const roles = STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS;
      await f.escrow.write.setStaffRoles([f.stranger.account.address, roles], { account: f.merchant.account });
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      for (const staff of [f.checkInStaff, f.cancelStaff, f.couponStaff, f.stranger]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.claim([[booked.id]], { account: staff.account }),
          f.escrow,
          "NotMerchantOrStaff",
          [booked.id, getAddress(staff.account.address), 0],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts when a booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      const missing = booked.id + 1n;
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.claim([[booked.id, missing]], { account: f.merchant.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });
  });

  describe("refusing recipients", () => {
    it("succeeds with a credit when the payout address refuses ETH", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const receiver = await deployRevertingReceiver();
      await f.escrow.write.updateMerchant([receiver.address, "Chez Earnest"], { account: f.merchant.account });
      const slot = await slotInDays(f.grid, 3);
      const fulfilled = await book(f, f.ethOffering, slot, 2);
      const noShow = await book(f, f.ethOffering, slot, 1, f.customer2);
      await atTime(slot);
      await f.escrow.write.checkIn([fulfilled.id], { account: f.merchant.account });
      const a = expectedSplit(2n * ETH_DEPOSIT, 0);
      const b = expectedSplit(ETH_DEPOSIT, NO_SHOW_BPS);
      const total = a.merchantShare + b.merchantShare;
      const receiverBefore = await ethBalance(f, receiver.address);

      await atTime(settlesAt({ slotStart: slot }, TIMING));
      const hash = await f.escrow.write.claim([[fulfilled.id, noShow.id]], { account: f.merchant.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Claimed", [
        f.merchant.account.address,
        ETH,
        receiver.address,
        total,
      ]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, total]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.customer2.account.address, amount: b.customerShare },
        { address: f.escrow.address, amount: -b.customerShare },
      ]);
      assert.equal(await ethBalance(f, receiver.address), receiverBefore);
      assert.equal(await f.escrow.read.credits([ETH, receiver.address]), total);
      assert.equal(await f.escrow.read.feesOwed([ETH]), a.fee + b.fee);
      assert.equal(await ethBalance(f, f.escrow.address), total + a.fee + b.fee);
    });

    it("succeeds with a credit when a no-show customer refuses ETH", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const receiver = await deployRevertingReceiver();
      const slot = await slotInDays(f.grid, 3);
      const data = encodeFunctionData({
        abi: f.escrow.abi,
        functionName: "book",
        args: [f.ethOffering, slot, 1, detailsHash("refusing customer")],
      });
      const receipt = await mined(f, receiver.write.execute([f.escrow.address, data], { value: ETH_DEPOSIT }));
      const [bookedEvent] = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
      const expected = expectedSplit(ETH_DEPOSIT, NO_SHOW_BPS);
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      const hash = await f.escrow.write.claim([[bookedEvent.args.bookingId]], { account: f.merchant.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, expected.customerShare]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.payout.account.address, amount: expected.merchantShare },
      ]);
      assert.equal(await f.escrow.read.credits([ETH, receiver.address]), expected.customerShare);
    });
  });
});
