// Customer cancellation: the policy tier that applies, the split, the payouts and the seats given back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeBookingId } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance } from "../support/chain.js";
import {
  createOffering,
  deployWithOddOfferings,
  deployWithOfferings,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  ODD_ETH_DEPOSIT,
  ODD_USD_DEPOSIT,
  SLOT_LENGTH,
  slotInDays,
  Status,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";
import { expectedSplit, expectSettlement, settledEvents, type Settlement } from "../support/outcomes.js";
import { signCheckIn } from "../support/signing.js";

/** The fixture plus offering 3: the default terms with a single tier, 30 min before the start → 50 %. */
async function deployWithLateTier() {
  const f = await deployWithOfferings();
  await createOffering(f, { cancellationTiers: [{ secondsBeforeStart: 30 * 60, refundBps: 5_000 }] });
  return { ...f, lateTierOffering: 3 };
}

/**
 * The customer cancels a booking at exactly `at`; checks everything a customer cancellation must do for the expected
 * `refundBps`: the Settled event, the customer's refund, the merchant's share at the payout address, the fee owed,
 * the escrow's balance and the booking's status.
 */
async function cancelAndCheck(
  f: Fixture,
  booked: Booked,
  at: number,
  refundBps: number,
  more: Pick<Settlement, "alone"> = {},
) {
  return expectSettlement(f, booked, {
    send: () => f.escrow.write.cancel([booked.id], { account: f.customer.account }),
    outcome: Status.CustomerCancelled,
    refundBps,
    at,
    unmoved: [f.merchant.account.address],
    ...more,
  });
}

describe("cancel (customer)", () => {
  describe("refund tiers", () => {
    it("succeeds with a full refund when cancelled days before the 48 h tier", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 5);
      const booked = await book(f, f.ethOffering, slot, 2);
      assert.equal(booked.amount, 2n * ETH_DEPOSIT);
      await cancelAndCheck(f, booked, slot - 4 * 24 * HOUR, 10_000);
    });

    it("succeeds with a full refund at exactly 48 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await cancelAndCheck(f, booked, slot - 48 * HOUR, 10_000);
    });

    it("succeeds with a 50 % refund one second under 48 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 3);
      await cancelAndCheck(f, booked, slot - 48 * HOUR + 1, 5_000);
    });

    it("succeeds with a 50 % refund at exactly 24 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await cancelAndCheck(f, booked, slot - 24 * HOUR, 5_000);
    });

    it("succeeds with no refund one second under 24 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 4);
      await cancelAndCheck(f, booked, slot - 24 * HOUR + 1, 0);
    });

    it("succeeds with no refund one second before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await cancelAndCheck(f, booked, slot - 1, 0);
    });

    it("succeeds with the refund that refundAt previewed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 3);
      const at = slot - 30 * HOUR;
      const preview = await f.escrow.read.refundAt([booked.id, BigInt(at)]);
      assert.equal(preview, expectedSplit(booked.amount, 5_000).customerShare);
      await atTime(at);
      const hash = await f.escrow.write.cancel([booked.id], { account: f.customer.account });
      await viem.assertions.balancesHaveChanged(hash, [{ address: f.customer.account.address, amount: preview }]);
    });

    it("succeeds with shares rounded down for the customer and the fee, the rest to the merchant", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.oddEthOffering, slot, 3);
      assert.equal(booked.amount, 3n * ODD_ETH_DEPOSIT);
      // 3_000_000_000_000_021 * 3333 / 10000 = 999_900_000_000_006.9993 → 999_900_000_000_006
      const expected = expectedSplit(booked.amount, 3_333);
      assert.equal(expected.customerShare, 999_900_000_000_006n);
      // (3_000_000_000_000_021 - 999_900_000_000_006) * 250 / 10000 = 50_002_500_000_000.375 → 50_002_500_000_000
      assert.equal(expected.fee, 50_002_500_000_000n);
      assert.equal(expected.merchantShare, 1_950_097_500_000_015n);
      await cancelAndCheck(f, booked, slot - 30 * HOUR, 3_333);
    });

    it("succeeds with the third tier's refund between 1 h and 24 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.oddEthOffering, slot, 1);
      await cancelAndCheck(f, booked, slot - HOUR, 777);
    });

    it("succeeds with the fee snapshotted at booking, not the fee set afterwards", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await f.escrow.write.setFee([1_000], { account: f.owner.account });
      await atTime(slot - HOUR);
      const hash = await f.escrow.write.cancel([booked.id], { account: f.customer.account });
      const expected = expectedSplit(booked.amount, 0, 250);
      assert.equal(expected.fee, 500_000_000_000_000n);
      const [settled] = await settledEvents(f, hash);
      assert.equal(settled.fee, expected.fee);
      assert.equal(settled.merchantShare, expected.merchantShare);
      assert.equal(await f.escrow.read.feesOwed([ETH]), expected.fee);
    });
  });

  describe("stablecoin offering", () => {
    it("succeeds with token payouts: refund to the customer, share to the payout address, fee owed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 3);
      assert.equal(booked.amount, 3n * USD_DEPOSIT);
      const expected = expectedSplit(booked.amount, 5_000);
      assert.deepEqual(expected, { customerShare: 37_500_000n, merchantShare: 36_562_500n, fee: 937_500n });
      await cancelAndCheck(f, booked, slot - 36 * HOUR, 5_000, { alone: true });
      assert.equal(await f.escrow.read.feesOwed([ETH]), 0n);
    });

    it("succeeds with exact rounding on an odd token deposit", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.oddTokenOffering, slot, 1);
      assert.equal(booked.amount, ODD_USD_DEPOSIT);
      const expected = expectedSplit(ODD_USD_DEPOSIT, 5_000);
      // 12_345_679 / 2 = 6_172_839.5 → 6_172_839; fee = 6_172_840 * 0.025 = 154_321
      assert.deepEqual(expected, { customerShare: 6_172_839n, merchantShare: 6_018_519n, fee: 154_321n });
      await cancelAndCheck(f, booked, slot - 25 * HOUR, 5_000, { alone: true });
    });
  });

  describe("seats", () => {
    it("succeeds in giving the seats back so that the slot can be booked again", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const first = await book(f, f.ethOffering, slot, 3);
      await book(f, f.ethOffering, slot, 1, f.customer2);
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([f.ethOffering, slot, 1, `0x${"11".repeat(32)}`], {
          account: f.customer2.account,
          value: ETH_DEPOSIT,
        }),
        f.escrow,
        "SlotFull",
        [f.ethOffering, slot, 0n, 1],
      );

      await f.escrow.write.cancel([first.id], { account: f.customer.account });
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 3n);

      const again = await book(f, f.ethOffering, slot, 3, f.customer2);
      assert.equal(again.id, encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 3 }));
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 0n);
    });
  });

  describe("while paused", () => {
    it("succeeds when the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await viem.assertions.revertWithCustomError(
        f.escrow.write.book([f.ethOffering, slot, 1, `0x${"22".repeat(32)}`], {
          account: f.customer2.account,
          value: ETH_DEPOSIT,
        }),
        f.escrow,
        "BookingsPaused",
      );
      await cancelAndCheck(f, booked, slot - 30 * HOUR, 5_000);
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    });
  });

  describe("after an early check-in (finding 1)", () => {
    it("succeeds with the 30 min tier's 50 % after the merchant's word was refused at 1 h and at 59 min", async () => {
      const f = await networkHelpers.loadFixture(deployWithLateTier);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.lateTierOffering, slot, 2);
      for (const at of [slot - HOUR, slot - 59 * 60]) {
        await atTime(at);
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
          f.escrow,
          "CheckInClosed",
          [booked.id, BigInt(slot), BigInt(slot + SLOT_LENGTH)],
        );
      }
      // 0.02 ETH held: half back to the customer; the fee is 2.5 % of the merchant's 0.01 ETH.
      const expected = expectedSplit(booked.amount, 5_000);
      assert.deepEqual(expected, {
        customerShare: 10_000_000_000_000_000n,
        merchantShare: 9_750_000_000_000_000n,
        fee: 250_000_000_000_000n,
      });
      await cancelAndCheck(f, booked, slot - 40 * 60, 5_000);
    });

    it("reverts with AlreadyCheckedIn after the customer's own signed check-in at 59 min before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithLateTier);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.lateTierOffering, slot, 1);
      const signature = await signCheckIn(f.customer, booked.id, f.escrow.address);
      await atTime(slot - 59 * 60);
      await f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account });
      await atTime(slot - 40 * 60);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([booked.id], { account: f.customer.account }),
        f.escrow,
        "AlreadyCheckedIn",
        [booked.id],
      );
      assert.equal(await f.escrow.read.refundAt([booked.id, BigInt(slot - 40 * 60)]), 0n);
      assert.equal(await ethBalance(f, f.escrow.address), ETH_DEPOSIT);
    });
  });

  describe("reverts", () => {
    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      const missing = booked.id + 1n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([missing], { account: f.customer.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
    });

    it("reverts when the caller is not the booking's customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      for (const caller of [f.stranger, f.merchant, f.customer2]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.cancel([booked.id], { account: caller.account }),
          f.escrow,
          "NotCustomer",
          [booked.id, caller.account.address],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts when the booking is already cancelled", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.cancel([booked.id], { account: f.customer.account });
      const before = await ethBalance(f, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([booked.id], { account: f.customer.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.CustomerCancelled],
      );
      assert.equal(await ethBalance(f, f.escrow.address), before);
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    });

    it("reverts when the merchant cancelled the booking already", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([booked.id], { account: f.customer.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.MerchantCancelled],
      );
    });

    it("reverts when cancelled at exactly the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([booked.id], { account: f.customer.account }),
        f.escrow,
        "CancellationClosed",
        [booked.id, slot],
      );
    });

    it("reverts when cancelled after the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 1);
      await networkHelpers.time.increaseTo(slot + 5 * HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([booked.id], { account: f.customer.account }),
        f.escrow,
        "CancellationClosed",
        [booked.id, slot],
      );
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), USD_DEPOSIT);
    });

    it("reverts when the booking is disputed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(slot);
      await f.escrow.write.dispute([booked.id, "the venue was closed"], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([booked.id], { account: f.customer.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.Disputed],
      );
    });
  });
});
