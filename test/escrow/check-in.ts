// Check-in: the merchant marks the customer present, from 1 h before the slot until it ends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance } from "../support/chain.js";
import {
  CHECK_IN_OPENS,
  deployWithOfferings,
  deployWithTwoMerchants,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";

/** A one-seat ETH booking three days ahead. */
async function bookedSlot(f: Fixture): Promise<{ slot: number; booked: Booked }> {
  const slot = await slotInDays(f.grid, 3);
  return { slot, booked: await book(f, f.ethOffering, slot, 1) };
}

/** Checks the booking in at exactly `at` and asserts the event and the stored flag, with no funds moved. */
async function checkInAt(f: Fixture, booked: Booked, at: number): Promise<void> {
  const escrowBefore = await ethBalance(f, f.escrow.address);
  await atTime(at);
  const hash = await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
  await viem.assertions.emitWithArgs(hash, f.escrow, "CheckedIn", [booked.id]);
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber });
  assert.equal(block.timestamp, BigInt(at));
  const view = await f.escrow.read.getBooking([booked.id]);
  assert.equal(view.checkedIn, true);
  assert.equal(view.status, Status.Booked);
  assert.equal(await ethBalance(f, f.escrow.address), escrowBefore);
}

describe("checkIn", () => {
  describe("window", () => {
    it("succeeds at exactly 1 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      assert.equal(await f.escrow.read.CHECK_IN_OPENS_BEFORE_START(), BigInt(CHECK_IN_OPENS));
      await checkInAt(f, booked, slot - CHECK_IN_OPENS);
    });

    it("succeeds at the start", async () => {
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
        [booked.id],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, true);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), 2n * USD_DEPOSIT);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await checkInAt(f, booked, slot - HOUR / 2);
    });

    it("reverts one second before check-in opens", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot - CHECK_IN_OPENS - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "CheckInClosed",
        [booked.id, BigInt(slot - CHECK_IN_OPENS), BigInt(slot + SLOT_LENGTH)],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts days before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "CheckInClosed",
        [booked.id, BigInt(slot - CHECK_IN_OPENS), BigInt(slot + SLOT_LENGTH)],
      );
    });

    it("reverts at exactly the end of the slot", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot + SLOT_LENGTH);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "CheckInClosed",
        [booked.id, BigInt(slot - CHECK_IN_OPENS), BigInt(slot + SLOT_LENGTH)],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts after the slot has ended", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await networkHelpers.time.increaseTo(slot + SLOT_LENGTH + 10 * HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([booked.id], { account: f.merchant.account }),
        f.escrow,
        "CheckInClosed",
        [booked.id, BigInt(slot - CHECK_IN_OPENS), BigInt(slot + SLOT_LENGTH)],
      );
    });
  });

  describe("reverts", () => {
    it("reverts when the customer is already checked in", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await checkInAt(f, booked, slot - HOUR / 2);
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

    it("succeeds when the booking is disputed, keeping the dispute open", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      await f.escrow.write.dispute([booked.id], { account: f.customer.account });
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      const view = await f.escrow.read.getBooking([booked.id]);
      assert.equal(view.checkedIn, true);
      assert.equal(view.status, Status.Disputed);
    });

    it("reverts when the caller is not the offering's merchant", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      for (const caller of [f.stranger, f.customer, f.payout, f.arbiter, f.merchant2]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkIn([booked.id], { account: caller.account }),
          f.escrow,
          "NotOfferingMerchant",
          [f.ethOffering, caller.account.address],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await bookedSlot(f);
      const missing = booked.id + 1n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkIn([missing], { account: f.merchant.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
      assert.equal(booked.amount, ETH_DEPOSIT);
    });
  });
});
