// Merchant cancellation: the merchant, or its staff with the cancel role, refunds an open or disputed booking in
// full, never blocked by the customer; no staff action can send funds to anyone but the customer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, parseEventLogs } from "viem";
import { encodeBookingId, STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance, mined } from "../support/chain.js";
import {
  deployRevertingReceiver,
  deployWithOfferings,
  deployWithStaff,
  deployWithTwoMerchants,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  slotInDays,
  Status,
  USD_DEPOSIT,
  viem,
  type Fixture,
  type Wallet,
} from "../support/fixture.js";
import { expectedSplit, expectSettlement, settledBookings, type Settlement } from "../support/outcomes.js";

/** `by` (the merchant unless told) cancels a booking; checks the full refund, the event and that nothing else
 *  moved. */
async function cancelByMerchantAndCheck(
  f: Fixture,
  booked: Booked,
  by: Wallet = f.merchant,
  more: Pick<Settlement, "alone"> = {},
) {
  // All of it back to the customer, nothing to the merchant, no fee.
  assert.deepEqual(expectedSplit(booked.amount, 10_000), { customerShare: booked.amount, merchantShare: 0n, fee: 0n });
  return expectSettlement(f, booked, {
    send: () => f.escrow.write.cancelByMerchant([booked.id], { account: by.account }),
    outcome: Status.MerchantCancelled,
    refundBps: 10_000,
    unmoved: [by.account.address],
    ...more,
  });
}

describe("cancelByMerchant", () => {
  it("succeeds with a full refund of a booked booking", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 3);
    assert.equal(booked.amount, 3n * ETH_DEPOSIT);
    // Inside the no-refund tier of the customer's policy: the merchant still refunds everything.
    await atTime(slot - HOUR);
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a full refund of a disputed booking", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 2);
    await atTime(slot + HOUR);
    await f.escrow.write.dispute([booked.id, "we were turned away"], { account: f.customer.account });
    assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Disputed);
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a full refund of a checked-in booking", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 1);
    await atTime(slot);
    await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a full refund in the stablecoin", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.tokenOffering, slot, 4);
    assert.equal(booked.amount, 4n * USD_DEPOSIT);
    await cancelByMerchantAndCheck(f, booked, f.merchant, { alone: true });
  });

  it("succeeds in giving the seats back so that the slot can be booked again", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 4);
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 0n);
    await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    const again = await book(f, f.ethOffering, slot, 4, f.customer2);
    assert.equal(again.id, booked.id + 1n);
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 0n);
  });

  it("succeeds while the protocol is paused", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 2);
    await f.escrow.write.setPaused([true], { account: f.owner.account });
    assert.equal((await f.escrow.read.config()).paused, true);
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a credit instead of a push when the customer refuses ETH", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const receiver = await deployRevertingReceiver();
    const slot = await slotInDays(f.grid, 3);
    const bookData = encodeFunctionData({
      abi: f.escrow.abi,
      functionName: "book",
      args: [f.ethOffering, slot, 2, detailsHash("reverting")],
    });
    const bookHash = await receiver.write.execute([f.escrow.address, bookData], { value: 2n * ETH_DEPOSIT });
    const receipt = await mined(f, bookHash);
    const [bookedEvent] = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
    const id = bookedEvent.args.bookingId;
    assert.equal(bookedEvent.args.customer.toLowerCase(), receiver.address.toLowerCase());
    const receiverBefore = await ethBalance(f, receiver.address);

    const hash = await f.escrow.write.cancelByMerchant([id], { account: f.merchant.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, 2n * ETH_DEPOSIT]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
      id,
      Status.MerchantCancelled,
      10_000n,
      2n * ETH_DEPOSIT,
      0n,
      0n,
    ]);
    assert.equal(await f.escrow.read.credits([ETH, receiver.address]), 2n * ETH_DEPOSIT);
    assert.equal(await ethBalance(f, receiver.address), receiverBefore);
    assert.equal(await ethBalance(f, f.escrow.address), 2n * ETH_DEPOSIT);
    assert.equal((await f.escrow.read.getBooking([id])).status, Status.MerchantCancelled);
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
  });

  describe("staff", () => {
    it("succeeds for cancel staff with a full refund to the customer, the staff getting nothing", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await atTime(slot - HOUR);
      await cancelByMerchantAndCheck(f, booked, f.cancelStaff);
      assert.equal(await f.escrow.read.credits([ETH, f.cancelStaff.account.address]), 0n);
    });

    it("succeeds for cancel staff on a stablecoin booking after its start, refunding the customer only", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.tokenOffering, slot, 3);
      assert.equal(booked.amount, 3n * USD_DEPOSIT);
      await atTime(slot + HOUR);
      await cancelByMerchantAndCheck(f, booked, f.cancelStaff, { alone: true });
      assert.equal(await f.escrow.read.credits([f.stablecoin.address, f.cancelStaff.account.address]), 0n);
    });

    it("reverts for staff with only the check-in or the coupon role", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      for (const staff of [f.checkInStaff, f.couponStaff]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.cancelByMerchant([booked.id], { account: staff.account }),
          f.escrow,
          "NotMerchantOrStaff",
          [booked.id, getAddress(staff.account.address), STAFF_CANCEL],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts for cancel staff whose role was revoked, at once", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      // Revoked by a grant that keeps the other roles: the cancel bit alone decides.
      await f.escrow.write.setStaffRoles([f.cancelStaff.account.address, STAFF_CHECK_IN | STAFF_COUPONS], {
        account: f.merchant.account,
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([booked.id], { account: f.cancelStaff.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.cancelStaff.account.address), STAFF_CANCEL],
      );
      await f.escrow.write.setStaffRoles([f.cancelStaff.account.address, 0], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([booked.id], { account: f.cancelStaff.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.cancelStaff.account.address), STAFF_CANCEL],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
    });

    it("reverts for another merchant's cancel staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await f.escrow.write.setStaffRoles([f.stranger.account.address, STAFF_CANCEL], { account: f.merchant2.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([booked.id], { account: f.stranger.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.stranger.account.address), STAFF_CANCEL],
      );
    });
  });

  it("reverts when the caller is neither the offering's merchant nor its cancel staff", async () => {
    const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 1);
    for (const caller of [f.stranger, f.customer, f.payout, f.arbiter, f.owner, f.merchant2]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([booked.id], { account: caller.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(caller.account.address), STAFF_CANCEL],
      );
    }
    assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
  });

  it("reverts when the booking is already settled", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const cases = await settledBookings(f);
    for (const [id, status] of cases) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([id], { account: f.merchant.account }),
        f.escrow,
        "WrongStatus",
        [id, status],
      );
    }
  });

  it("reverts when the booking does not exist", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const missing = encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 1 });
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.cancelByMerchant([missing], { account: f.merchant.account }),
      f.escrow,
      "BookingNotFound",
      [missing],
    );
  });
});
