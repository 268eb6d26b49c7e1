// Disputes: the customer of an offering with an arbiter disputes from the slot's start until the window closes,
// giving a short reason (at most 280 bytes) that the arbiter reads in the event.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settlesAt } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance, txTimestamp } from "../support/chain.js";
import {
  deployWithOfferings,
  DISPUTE_WINDOW,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  TIMING,
  viem,
  type Fixture,
} from "../support/fixture.js";

/** A two-seat booking of the ETH offering (which has an arbiter) three days ahead. */
async function bookedSlot(f: Fixture): Promise<{ slot: number; booked: Booked }> {
  const slot = await slotInDays(f.grid, 3);
  return { slot, booked: await book(f, f.ethOffering, slot, 2) };
}

/** A reason an arbiter might read. */
const REASON = "The table was given to someone else; we waited 40 minutes.";

/** Disputes at exactly `at` with `reason`; asserts the event, the status and that no funds moved. */
async function disputeAt(f: Fixture, booked: Booked, at: number, reason = REASON): Promise<void> {
  const escrowBefore = await ethBalance(f, f.escrow.address);
  await atTime(at);
  const hash = await f.escrow.write.dispute([booked.id, reason], { account: f.customer.account });
  await viem.assertions.emitWithArgs(hash, f.escrow, "Disputed", [booked.id, reason]);
  assert.equal(await txTimestamp(f, hash), at);
  assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Disputed);
  assert.equal(await ethBalance(f, f.escrow.address), escrowBefore);
  assert.equal(escrowBefore, 2n * ETH_DEPOSIT);
}

describe("dispute", () => {
  describe("window", () => {
    it("succeeds at exactly the start of the slot", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await disputeAt(f, booked, slot);
    });

    it("succeeds one second before the dispute window closes", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      assert.equal(settlesAt({ slotStart: slot }, TIMING), slot + SLOT_LENGTH + DISPUTE_WINDOW);
      await disputeAt(f, booked, settlesAt({ slotStart: slot }, TIMING) - 1);
    });

    it("succeeds when the customer was checked in", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await disputeAt(f, booked, slot + 3 * HOUR);
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, true);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await disputeAt(f, booked, slot + HOUR);
    });

    it("reverts one second before the slot starts", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([booked.id, REASON], { account: f.customer.account }),
        f.escrow,
        "DisputeClosed",
        [booked.id, BigInt(slot), BigInt(settlesAt({ slotStart: slot }, TIMING))],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts at exactly the close of the dispute window", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([booked.id, REASON], { account: f.customer.account }),
        f.escrow,
        "DisputeClosed",
        [booked.id, BigInt(slot), BigInt(settlesAt({ slotStart: slot }, TIMING))],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });
  });

  describe("reason", () => {
    it("succeeds with a reason of exactly 280 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      assert.equal(await f.escrow.read.MAX_DISPUTE_REASON_BYTES(), 280n);
      await disputeAt(f, booked, slot + HOUR, "x".repeat(280));
    });

    it("succeeds with an empty reason", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await disputeAt(f, booked, slot + HOUR, "");
    });

    it("succeeds with a reason in Chinese of 93 characters, 279 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      const reason = "座".repeat(93);
      assert.equal(Buffer.byteLength(reason), 279);
      await disputeAt(f, booked, slot + HOUR, reason);
    });

    it("reverts when the reason is 281 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot + HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([booked.id, "x".repeat(281)], { account: f.customer.account }),
        f.escrow,
        "DisputeReasonTooLong",
        [281n, 280n],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts when the reason counts 94 characters but 282 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot + HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([booked.id, "座".repeat(94)], { account: f.customer.account }),
        f.escrow,
        "DisputeReasonTooLong",
        [282n, 280n],
      );
    });
  });

  describe("reverts", () => {
    it("reverts when the offering has no arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 1);
      await atTime(slot + HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([booked.id, REASON], { account: f.customer.account }),
        f.escrow,
        "NoArbiter",
        [f.tokenOffering],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts when the caller is not the booking's customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await atTime(slot + HOUR);
      for (const caller of [f.stranger, f.merchant, f.arbiter, f.customer2]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.dispute([booked.id, REASON], { account: caller.account }),
          f.escrow,
          "NotCustomer",
          [booked.id, caller.account.address],
        );
      }
    });

    it("reverts when the booking is already disputed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await bookedSlot(f);
      await disputeAt(f, booked, slot + HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([booked.id, REASON], { account: f.customer.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.Disputed],
      );
    });

    it("reverts when the booking was cancelled or resolved", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const cancelled = await book(f, f.ethOffering, slot, 1);
      const merchantCancelled = await book(f, f.ethOffering, slot, 1);
      const resolved = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.cancel([cancelled.id], { account: f.customer.account });
      await f.escrow.write.cancelByMerchant([merchantCancelled.id], { account: f.merchant.account });
      await atTime(slot + HOUR);
      await f.escrow.write.dispute([resolved.id, REASON], { account: f.customer.account });
      await f.escrow.write.resolve([resolved.id, 2_500], { account: f.arbiter.account });
      const cases: Array<[bigint, number]> = [
        [cancelled.id, Status.CustomerCancelled],
        [merchantCancelled.id, Status.MerchantCancelled],
        [resolved.id, Status.Resolved],
      ];
      for (const [id, status] of cases) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.dispute([id, REASON], { account: f.customer.account }),
          f.escrow,
          "WrongStatus",
          [id, status],
        );
      }
    });

    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await bookedSlot(f);
      const missing = booked.id + 1n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.dispute([missing, REASON], { account: f.customer.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
    });
  });
});
