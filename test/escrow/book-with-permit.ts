// bookWithPermit: an EIP-2612 permit and the booking in one transaction; a failed (e.g. front-run) permit falls back
// on the existing allowance; no permit for native ETH; an optional coupon (the merchant's or its coupon staff's),
// used only with a signature.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEventLogs, zeroHash, type Hex } from "viem";
import { encodeBookingId, noCoupon, STAFF_CHECK_IN, type Coupon, type PermitArgs } from "@earnest/sdk";
import { bookedEvent } from "../support/booking.js";
import {
  deployWithTokenOffering,
  deployWithOfferings,
  deployWithStaff,
  detailsHash,
  FEE_BPS,
  networkHelpers,
  slotInDays,
  Status,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";
import { makeCoupon, signCoupon, signPermit } from "../support/signing.js";

/** A deadline an hour after the latest block. */
async function deadline(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest()) + 3600n;
}

/** bookWithPermit of the stablecoin offering (2) for the fixture customer. */
function bookWithPermit(
  f: Fixture,
  slot: number,
  seats: number,
  permit: PermitArgs,
  coupon: Coupon = noCoupon,
  couponSignature: Hex = "0x",
) {
  return f.escrow.write.bookWithPermit([2, slot, seats, zeroHash, permit, coupon, couponSignature], {
    account: f.customer.account,
  });
}

/** The fixture plus a token without EIP-2612 (the BlocklistToken), allow-listed, with an offering (id 3). */
const deployWithNoPermitToken = () => deployWithTokenOffering(() => viem.deployContract("BlocklistToken"), 7_000_000n);

describe("bookWithPermit", () => {
  it("succeeds with the permit and the booking in one transaction, from zero allowance", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const customer = f.customer.account.address;
    const amount = 2n * USD_DEPOSIT;
    assert.equal(await f.stablecoin.read.allowance([customer, f.escrow.address]), 0n);
    const balanceBefore = await f.stablecoin.read.balanceOf([customer]);
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, amount, await deadline());
    const details = detailsHash("dave");

    const hash = await f.escrow.write.bookWithPermit([2, slot, 2, details, permit, noCoupon, "0x"], {
      account: f.customer.account,
    });
    await viem.assertions.emitWithArgs(hash, f.stablecoin, "Approval", [
      getAddress(customer),
      getAddress(f.escrow.address),
      amount,
    ]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "Booked", [
      encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 }),
      2,
      getAddress(customer),
      slot,
      2,
      amount,
      FEE_BPS,
      details,
    ]);
    assert.equal(await f.stablecoin.read.nonces([customer]), 1n);
    assert.equal(await f.stablecoin.read.allowance([customer, f.escrow.address]), 0n);
    assert.equal(await f.stablecoin.read.balanceOf([customer]), balanceBefore - amount);
    assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), amount);
    const view = await f.escrow.read.getBooking([encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 })]);
    assert.equal(view.status, Status.Booked);
    assert.equal(view.amount, amount);
  });

  it("succeeds with a permit above the amount, leaving the rest of the allowance", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, 5n * USD_DEPOSIT, await deadline());
    await bookWithPermit(f, slot, 1, permit);
    assert.equal(await f.stablecoin.read.allowance([f.customer.account.address, f.escrow.address]), 4n * USD_DEPOSIT);
  });

  it("succeeds on the allowance when someone else submitted the same permit first", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const customer = f.customer.account.address;
    const amount = USD_DEPOSIT;
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, amount, await deadline());
    // A front-runner copies the permit from the mempool and submits it on its own.
    await f.stablecoin.write.permit(
      [customer, f.escrow.address, permit.value, permit.deadline, permit.v, permit.r, permit.s],
      { account: f.stranger.account },
    );
    assert.equal(await f.stablecoin.read.allowance([customer, f.escrow.address]), amount);
    assert.equal(await f.stablecoin.read.nonces([customer]), 1n);

    const booked = await bookedEvent(f, await bookWithPermit(f, slot, 1, permit));
    assert.equal(booked.bookingId, encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 }));
    assert.equal(booked.amount, amount);
    assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), amount);
    assert.equal(await f.stablecoin.read.allowance([customer, f.escrow.address]), 0n);
    assert.equal(await f.stablecoin.read.nonces([customer]), 1n);
  });

  it("succeeds on an earlier approval when the permit's signature is invalid", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    await f.stablecoin.write.approve([f.escrow.address, USD_DEPOSIT], { account: f.customer.account });
    // Signed by another account: the permit call reverts, the approval covers the booking.
    const permit = await signPermit(f.customer2, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
    const booked = await bookedEvent(f, await bookWithPermit(f, slot, 1, permit));
    assert.equal(booked.customer, getAddress(f.customer.account.address));
    assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), USD_DEPOSIT);
  });

  it("succeeds on allowance with a token that has no permit at all", async () => {
    const f = await networkHelpers.loadFixture(deployWithNoPermitToken);
    const slot = await slotInDays(f.grid, 3);
    await f.mock.write.approve([f.escrow.address, 7_000_000n], { account: f.customer.account });
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, 7_000_000n, await deadline());
    const hash = await f.escrow.write.bookWithPermit([3, slot, 1, zeroHash, permit, noCoupon, "0x"], {
      account: f.customer.account,
    });
    assert.equal((await bookedEvent(f, hash)).amount, 7_000_000n);
    assert.equal(await f.mock.read.balanceOf([f.escrow.address]), 7_000_000n);
  });

  it("reverts with InsufficientAllowance when the permit fails and there is no allowance", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const permit = await signPermit(f.customer2, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(f, slot, 1, permit),
      f.escrow,
      "InsufficientAllowance",
      [getAddress(f.stablecoin.address), 0n, USD_DEPOSIT],
    );
  });

  it("reverts with InsufficientAllowance when the permit's deadline has passed", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const past = BigInt(await networkHelpers.time.latest()) - 1n;
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, 2n * USD_DEPOSIT, past);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(f, slot, 2, permit),
      f.escrow,
      "InsufficientAllowance",
      [getAddress(f.stablecoin.address), 0n, 2n * USD_DEPOSIT],
    );
  });

  it("reverts with InsufficientAllowance when a front-run permit granted less than the amount", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const customer = f.customer.account.address;
    const amount = 2n * USD_DEPOSIT;
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, amount - 1n, await deadline());
    await f.stablecoin.write.permit(
      [customer, f.escrow.address, permit.value, permit.deadline, permit.v, permit.r, permit.s],
      { account: f.stranger.account },
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(f, slot, 2, permit),
      f.escrow,
      "InsufficientAllowance",
      [getAddress(f.stablecoin.address), amount - 1n, amount],
    );
  });

  it("reverts with InsufficientAllowance when a valid permit grants less than the amount", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const amount = 2n * USD_DEPOSIT;
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, amount - 1n, await deadline());
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(f, slot, 2, permit),
      f.escrow,
      "InsufficientAllowance",
      [getAddress(f.stablecoin.address), amount - 1n, amount],
    );
  });

  it("reverts with InsufficientAllowance for a token without permit and no approval", async () => {
    const f = await networkHelpers.loadFixture(deployWithNoPermitToken);
    const slot = await slotInDays(f.grid, 3);
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, 7_000_000n, await deadline());
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.bookWithPermit([3, slot, 1, zeroHash, permit, noCoupon, "0x"], { account: f.customer.account }),
      f.escrow,
      "InsufficientAllowance",
      [getAddress(f.mock.address), 0n, 7_000_000n],
    );
  });

  it("reverts with PermitForNativeToken for the ETH offering", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.bookWithPermit([1, slot, 1, zeroHash, permit, noCoupon, "0x"], { account: f.customer.account }),
      f.escrow,
      "PermitForNativeToken",
      [1],
    );
    assert.equal(await f.escrow.read.seatsLeft([1, slot]), 4n);
  });

  it("reverts when bookings are paused", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    await f.escrow.write.setPaused([true]);
    const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
    await viem.assertions.revertWithCustomError(bookWithPermit(f, slot, 1, permit), f.escrow, "BookingsPaused");
    assert.equal(await f.stablecoin.read.nonces([f.customer.account.address]), 0n);
  });

  describe("with a coupon", () => {
    it("succeeds with the permit and a coupon together, paying the discounted amount", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const discount = 5_000_000n;
      const amount = 2n * USD_DEPOSIT - discount; // 45 mUSD
      const coupon = await makeCoupon(2, discount, { customer: f.customer.account.address });
      const couponSignature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, amount, await deadline());
      const before = await f.stablecoin.read.balanceOf([f.customer.account.address]);

      const hash = await bookWithPermit(f, slot, 2, permit, coupon, couponSignature);
      const id = encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 });
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [digest, id, discount, 1n]);
      assert.equal((await bookedEvent(f, hash)).amount, 45_000_000n);
      assert.equal(await f.stablecoin.read.balanceOf([f.customer.account.address]), before - amount);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), amount);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
      assert.equal((await f.escrow.read.getBooking([id])).amount, amount);
    });

    it("succeeds without the coupon when its signature is empty, at the full deposit", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      // A well-formed coupon for this offering, but no signature: it must be ignored, not redeemed.
      const coupon = await makeCoupon(2, 10_000_000n);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
      const hash = await bookWithPermit(f, slot, 1, permit, coupon, "0x");
      const { logs } = await f.publicClient.waitForTransactionReceipt({ hash });
      const redeemed = parseEventLogs({ abi: f.escrow.abi, eventName: "CouponRedeemed", logs });
      assert.equal(redeemed.length, 0);
      assert.equal((await bookedEvent(f, hash)).amount, USD_DEPOSIT);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 0n);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), USD_DEPOSIT);
    });

    it("succeeds with a coupon signed by the merchant's coupon staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const discount = 5_000_000n;
      const coupon = await makeCoupon(2, discount, { signer: f.couponStaff.account.address });
      const couponSignature = await signCoupon(f.couponStaff, coupon, f.escrow.address);
      const amount = USD_DEPOSIT - discount;
      const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, amount, await deadline());
      const hash = await bookWithPermit(f, slot, 1, permit, coupon, couponSignature);
      assert.equal((await bookedEvent(f, hash)).amount, 20_000_000n);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), amount);
    });

    it("reverts with CouponSignerNotAllowed when the coupon's signer lost the coupon role", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(2, 1_000_000n, { signer: f.couponStaff.account.address });
      const couponSignature = await signCoupon(f.couponStaff, coupon, f.escrow.address);
      await f.escrow.write.setStaffRoles([f.couponStaff.account.address, STAFF_CHECK_IN], {
        account: f.merchant.account,
      });
      const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookWithPermit(f, slot, 1, permit, coupon, couponSignature),
        f.escrow,
        "CouponSignerNotAllowed",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(f.couponStaff.account.address)],
      );
      assert.equal(await f.stablecoin.read.nonces([f.customer.account.address]), 0n);
    });

    it("reverts with the coupon's error when a coupon signature is given and invalid", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(2, 1_000_000n);
      const couponSignature = await signCoupon(f.stranger, coupon, f.escrow.address);
      const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, USD_DEPOSIT, await deadline());
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookWithPermit(f, slot, 1, permit, coupon, couponSignature),
        f.escrow,
        "InvalidCouponSignature",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(f.merchant.account.address)],
      );
    });
  });
});
