// checkIn, the merchant's word: the merchant or its check-in staff marks the customer present, only from the slot's
// start until it ends (so it never takes away a cancellation the policy still offers), never on a disputed booking,
// never on an offering whose rule is the customer's signature.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress } from "viem";
import { CheckInRule, settlesAt, STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS } from "@earnest/sdk";
import { book, expectCheckedIn, type Booked } from "../support/booking.js";
import { atTime } from "../support/chain.js";
import {
  createOffering,
  deployWithOfferings,
  deployWithStaff,
  deployWithTwoMerchants,
  ETH,
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
  type Wallet,
} from "../support/fixture.js";
import { expectedSplit, expectSettlement } from "../support/outcomes.js";
import { signCheckIn } from "../support/signing.js";

/** A one-seat ETH booking three days ahead. */
async function bookedSlot(f: Fixture): Promise<{ slot: number; booked: Booked }> {
  const slot = await slotInDays(f.grid, 3);
  return { slot, booked: await book(f, f.ethOffering, slot, 1) };
}

/** `by` checks the booking in on its word at exactly `at`; asserts the event, the stored flag and that no funds
 *  moved. */
async function checkInAt(f: Fixture, booked: Booked, at: number, by: Wallet = f.merchant): Promise<void> {
  const send = () => f.escrow.write.checkIn([booked.id], { account: by.account });
  await expectCheckedIn(f, booked, { send, at, by, customerSigned: false });
}

/** The merchant's word at `at` is refused: check-in opens at the slot's start and closes when the slot ends. */
async function refusedAt(f: Fixture, booked: Booked, slot: number, at: number): Promise<void> {
  await atTime(at);
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
    f.escrow,
    "CheckInClosed",
    [booked.id, BigInt(slot), BigInt(slot + SLOT_LENGTH)],
  );
  assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
}

/** The fixture plus offering 3: the default terms, but only the customer's signature proves attendance. */
async function deployWithSignatureOnlyOffering() {
  const f = await deployWithStaff();
  await createOffering(f, { checkInRule: CheckInRule.CustomerSignature });
  return { ...f, signatureOnlyOffering: 3 };
}

describe("checkIn", () => {
  describe("window", () => {
    it("succeeds at exactly the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await checkInAt(f, booked, slot);
    });

    it("succeeds one second before the slot ends", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await checkInAt(f, booked, slot + SLOT_LENGTH - 1);
    });

    it("succeeds for a stablecoin booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 2);
      await atTime(slot + HOUR);
      await viem.assertions.emitWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "CheckedIn",
        [booked.id, getAddress(f.merchant.account.address), false],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, true);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), 2n * USD_DEPOSIT);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await checkInAt(f, booked, slot + HOUR / 2);
    });

    it("reverts one second before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await refusedAt(f, booked, slot, slot - 1);
    });

    it("reverts 59 minutes before the start, where a customer-signed check-in would count", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await refusedAt(f, booked, slot, slot - 59 * 60);
    });

    it("reverts at exactly 1 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await refusedAt(f, booked, slot, slot - HOUR);
    });

    it("reverts days before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await refusedAt(f, booked, slot, slot - 2 * 24 * HOUR);
    });

    it("reverts at exactly the end of the slot", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await refusedAt(f, booked, slot, slot + SLOT_LENGTH);
    });

    it("reverts after the slot has ended", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await refusedAt(f, booked, slot, slot + SLOT_LENGTH + 10 * HOUR);
    });
  });

  describe("staff", () => {
    it("succeeds when check-in staff checks the customer in, naming the staff in the event", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await bookedSlot(f);
      await checkInAt(f, booked, slot + HOUR, f.checkInStaff);
    });

    it("succeeds for staff holding every role", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await bookedSlot(f);
      const roles = STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS;
      await f.escrow.write.setStaffRoles([f.stranger.account.address, roles], { account: f.merchant.account });
      await checkInAt(f, booked, slot, f.stranger);
    });

    it("reverts when the staff's check-in role was revoked, at once", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      await f.escrow.write.setStaffRoles([f.checkInStaff.account.address, 0], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.checkInStaff.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.checkInStaff.account.address), STAFF_CHECK_IN],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts for staff with only the cancel or the coupon role", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      for (const staff of [f.cancelStaff, f.couponStaff]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkIn([booked.id], { account: staff.account }),
          f.escrow,
          "NotMerchantOrStaff",
          [booked.id, getAddress(staff.account.address), STAFF_CHECK_IN],
        );
      }
    });

    it("reverts for another merchant's check-in staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const { slot, booked } = await bookedSlot(f);
      await f.escrow.write.setStaffRoles([f.stranger.account.address, STAFF_CHECK_IN], {
        account: f.merchant2.account,
      });
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.stranger.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.stranger.account.address), STAFF_CHECK_IN],
      );
    });
  });

  describe("an offering that accepts only the customer's signature", () => {
    it("reverts with CustomerSignatureRequired for the merchant and for its check-in staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithSignatureOnlyOffering);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.signatureOnlyOffering, slot, 1);
      await atTime(slot + HOUR);
      for (const by of [f.merchant, f.checkInStaff]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkIn([booked.id], { account: by.account }),
          f.escrow,
          "CustomerSignatureRequired",
          [f.signatureOnlyOffering],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("succeeds with the customer's signature where the merchant's word is refused", async () => {
      const f = await networkHelpers.loadFixture(deployWithSignatureOnlyOffering);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.signatureOnlyOffering, slot, 1);
      const signature = await signCheckIn(f.customer, booked.id, f.escrow.address);
      await atTime(slot - HOUR / 2);
      await viem.assertions.emitWithArgs(
        f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.checkInStaff.account }),
        f.escrow,
        "CheckedIn",
        [booked.id, getAddress(f.checkInStaff.account.address), true],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, true);
    });

    it("succeeds in settling as a no-show with the no-show share although the merchant tried to check in", async () => {
      const f = await networkHelpers.loadFixture(deployWithSignatureOnlyOffering);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.signatureOnlyOffering, slot, 2);
      await atTime(slot + HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "CustomerSignatureRequired",
        [f.signatureOnlyOffering],
      );
      // No arbiter on this offering: the customer settles it alone and gets the 20 % no-show share.
      const expected = expectedSplit(booked.amount, NO_SHOW_BPS);
      assert.equal(expected.customerShare, (booked.amount * 2_000n) / 10_000n);
      await expectSettlement(f, booked, {
        send: () => f.escrow.write.settle([booked.id], { account: f.customer.account }),
        outcome: Status.NoShow,
        refundBps: NO_SHOW_BPS,
        at: settlesAt({ slotStart: slot }, TIMING),
        claimed: true,
        unmoved: [f.merchant.account.address],
      });
      assert.equal(await f.escrow.read.feesOwed([ETH]), expected.fee);
    });
  });

  describe("reverts", () => {
    it("reverts when the customer is already checked in", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await checkInAt(f, booked, slot + HOUR / 2);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "AlreadyCheckedIn",
        [booked.id],
      );
    });

    it("reverts when the customer's signed check-in came first", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot - HOUR / 2);
      const signature = await signCheckIn(f.customer, booked.id, f.escrow.address);
      await f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account });
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "AlreadyCheckedIn",
        [booked.id],
      );
    });

    it("reverts when the customer cancelled the booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await f.escrow.write.cancel([booked.id], { account: f.customer.account });
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.CustomerCancelled],
      );
    });

    it("reverts when the merchant cancelled the booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.MerchantCancelled],
      );
    });

    it("reverts when the booking is disputed, for the merchant and its staff, leaving it not checked in", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      await f.escrow.write.dispute([booked.id, "the table was given away"], { account: f.customer.account });
      for (const by of [f.merchant, f.checkInStaff]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkIn([booked.id], { account: by.account }),
          f.escrow,
          "WrongStatus",
          [booked.id, Status.Disputed],
        );
      }
      const view = await f.escrow.read.getBooking([booked.id]);
      assert.equal(view.checkedIn, false);
      assert.equal(view.status, Status.Disputed);
    });

    it("reverts when the caller is neither the offering's merchant nor its check-in staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      for (const caller of [f.stranger, f.customer, f.payout, f.arbiter, f.owner, f.merchant2]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkIn([booked.id], { account: caller.account }),
          f.escrow,
          "NotMerchantOrStaff",
          [booked.id, getAddress(caller.account.address), STAFF_CHECK_IN],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      const missing = booked.id + 1n;
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([missing], { account: f.merchant.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
    });
  });
});
