// bookWithCoupon: an EIP-712 coupon signed by the merchant or its coupon staff (ERC-1271 for contract signers) takes
// a discount off the deposit; redemptions are counted per coupon digest; every coupon check (offering, customer,
// expiry, redemptions, signer, signature, amount) has its error.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther, zeroHash, type Hex } from "viem";
import { couponTypes, encodeBookingId, STAFF_COUPONS, type Coupon } from "@earnest/sdk";
import { book, bookedEvent } from "../support/booking.js";
import { atTime } from "../support/chain.js";
import {
  deployEarnestEscrow,
  deploySmartWallet,
  deployWithOfferings,
  deployWithStaff,
  deployWithTwoMerchants,
  detailsHash,
  ETH_DEPOSIT,
  FEE_BPS,
  networkHelpers,
  slotInDays,
  Status,
  USD_DEPOSIT,
  viem,
  type Fixture,
  type Wallet,
} from "../support/fixture.js";
import { makeCoupon, signCoupon } from "../support/signing.js";

/** bookWithCoupon of the ETH offering paying `value`. */
function bookEthWithCoupon(
  f: Fixture,
  slot: number,
  seats: number,
  coupon: Coupon,
  signature: Hex,
  value: bigint,
  customer: Wallet = f.customer,
) {
  return f.escrow.write.bookWithCoupon([1, slot, seats, zeroHash, coupon, signature], {
    account: customer.account,
    value,
  });
}

describe("bookWithCoupon", () => {
  describe("discount", () => {
    it("succeeds with an open ETH coupon: discounted amount, CouponRedeemed and the redemption count", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const discount = parseEther("0.003");
      const coupon = await makeCoupon(1, discount);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      const amount = 2n * ETH_DEPOSIT - discount; // 0.017 ETH
      assert.equal(amount, parseEther("0.017"));
      const id = encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 });
      const details = detailsHash("carol");

      const hash = await f.escrow.write.bookWithCoupon([1, slot, 2, details, coupon, signature], {
        account: f.customer.account,
        value: amount,
      });
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [digest, id, discount, 1n]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "Booked", [
        id,
        1,
        getAddress(f.customer.account.address),
        slot,
        2,
        amount,
        FEE_BPS,
        details,
      ]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.customer.account.address, amount: -amount },
        { address: f.escrow.address, amount },
      ]);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
      const view = await f.escrow.read.getBooking([id]);
      assert.equal(view.amount, amount);
      assert.equal(view.status, Status.Booked);
      assert.equal(view.seats, 2);
    });

    it("succeeds with an open coupon redeemed by two customers, counting 1 then 2", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const discount = parseEther("0.001");
      const coupon = await makeCoupon(1, discount);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      await bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - discount);
      const hash = bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - discount, f.customer2);
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [
        digest,
        encodeBookingId({ offeringId: 1, slotStart: slot, n: 2 }),
        discount,
        2n,
      ]);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 2n);
      const view = await f.escrow.read.getBooking([encodeBookingId({ offeringId: 1, slotStart: slot, n: 2 })]);
      assert.equal(view.customer, getAddress(f.customer2.account.address));
      assert.equal(view.amount, ETH_DEPOSIT - discount);
    });

    it("succeeds with a customer-bound stablecoin coupon on an exact allowance", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      const discount = 5_000_000n;
      const coupon = await makeCoupon(2, discount, { customer: f.customer.account.address });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const amount = 3n * USD_DEPOSIT - discount;
      await f.stablecoin.write.approve([f.escrow.address, amount], { account: f.customer.account });
      const before = await f.stablecoin.read.balanceOf([f.customer.account.address]);
      const hash = f.escrow.write.bookWithCoupon([2, slot, 3, zeroHash, coupon, signature], {
        account: f.customer.account,
      });
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [
        await f.escrow.read.hashCoupon([coupon]),
        encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 }),
        discount,
        1n,
      ]);
      assert.equal(await f.stablecoin.read.balanceOf([f.customer.account.address]), before - amount);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), 70_000_000n);
      assert.equal(
        (await f.escrow.read.getBooking([encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 })])).amount,
        70_000_000n,
      );
    });

    it("succeeds with a discount equal to the whole ETH deposit (nothing to pay)", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 2n * ETH_DEPOSIT);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const hash = await bookEthWithCoupon(f, slot, 2, coupon, signature, 0n);
      const booked = await bookedEvent(f, hash);
      assert.equal(booked.amount, 0n);
      const view = await f.escrow.read.getBooking([booked.bookingId]);
      assert.equal(view.amount, 0n);
      assert.equal(view.seats, 2);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 2n);
      assert.equal(await f.publicClient.getBalance({ address: f.escrow.address }), 0n);
    });

    it("succeeds with a discount equal to the whole stablecoin deposit, with no allowance", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(2, USD_DEPOSIT);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const hash = await f.escrow.write.bookWithCoupon([2, slot, 1, zeroHash, coupon, signature], {
        account: f.customer.account,
      });
      assert.equal((await bookedEvent(f, hash)).amount, 0n);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), 0n);
    });

    it("succeeds with the coupon's salt telling apart otherwise equal coupons", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const a = await makeCoupon(1, 1n, { maxRedemptions: 1 });
      const b: Coupon = { ...a, salt: `0x${"cd".repeat(32)}` };
      await bookEthWithCoupon(f, slot, 1, a, await signCoupon(f.merchant, a, f.escrow.address), ETH_DEPOSIT - 1n);
      await bookEthWithCoupon(f, slot, 1, b, await signCoupon(f.merchant, b, f.escrow.address), ETH_DEPOSIT - 1n);
      assert.equal(await f.escrow.read.couponRedemptions([await f.escrow.read.hashCoupon([a])]), 1n);
      assert.equal(await f.escrow.read.couponRedemptions([await f.escrow.read.hashCoupon([b])]), 1n);
    });

    it("succeeds at exactly expiresAt", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const expiresAt = slot - 2 * 24 * 3600;
      const coupon = await makeCoupon(1, 1_000n, { expiresAt });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await atTime(expiresAt);
      const booked = await bookedEvent(f, await bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n));
      assert.equal(booked.amount, ETH_DEPOSIT - 1_000n);
    });
  });

  describe("signer", () => {
    it("succeeds with a coupon signed by the merchant's coupon staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 2_000n, { signer: f.couponStaff.account.address });
      const signature = await signCoupon(f.couponStaff, coupon, f.escrow.address);
      const hash = bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 2_000n);
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [
        await f.escrow.read.hashCoupon([coupon]),
        encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }),
        2_000n,
        1n,
      ]);
      assert.equal(await f.publicClient.getBalance({ address: f.escrow.address }), ETH_DEPOSIT - 2_000n);
    });

    it("succeeds with a coupon signed through ERC-1271 by a contract wallet holding the coupon role", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const wallet = await deploySmartWallet(f.stranger);
      await f.escrow.write.setStaffRoles([wallet.address, STAFF_COUPONS], { account: f.merchant.account });
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 3_000n, { signer: wallet.address });
      // The wallet's owner key signs for the wallet.
      const signature = await signCoupon(f.stranger, coupon, f.escrow.address);
      const booked = await bookedEvent(f, await bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 3_000n));
      assert.equal(booked.amount, ETH_DEPOSIT - 3_000n);
      // Any other key is not the wallet's.
      const forged = await signCoupon(f.customer2, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, forged, ETH_DEPOSIT - 3_000n),
        f.escrow,
        "InvalidCouponSignature",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(wallet.address)],
      );
    });

    it("reverts when the signer is neither the merchant nor its coupon staff, though it signed", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      for (const signer of [f.stranger, f.payout, f.checkInStaff, f.cancelStaff, f.customer]) {
        const coupon = await makeCoupon(1, 1_000n, { signer: signer.account.address });
        const signature = await signCoupon(signer, coupon, f.escrow.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
          f.escrow,
          "CouponSignerNotAllowed",
          [await f.escrow.read.hashCoupon([coupon]), getAddress(signer.account.address)],
        );
      }
    });

    it("reverts when the coupon staff was revoked, at once, for a coupon it signed before", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n, { signer: f.couponStaff.account.address });
      const signature = await signCoupon(f.couponStaff, coupon, f.escrow.address);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      await bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n);
      await f.escrow.write.setStaffRoles([f.couponStaff.account.address, 0], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n, f.customer2),
        f.escrow,
        "CouponSignerNotAllowed",
        [digest, getAddress(f.couponStaff.account.address)],
      );
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
    });

    it("reverts when another merchant's coupon staff signed", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      await f.escrow.write.setStaffRoles([f.stranger.account.address, STAFF_COUPONS], { account: f.merchant2.account });
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n, { signer: f.stranger.account.address });
      const signature = await signCoupon(f.stranger, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "CouponSignerNotAllowed",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(f.stranger.account.address)],
      );
    });

    it("reverts when the signer named in the coupon is not the one who signed", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const slot = await slotInDays(f.grid, 3);
      const staff = f.couponStaff.account.address;
      const merchant = f.merchant.account.address;
      const cases: Array<[Wallet, `0x${string}`]> = [
        [f.merchant, staff], // names the staff, signed by the merchant
        [f.couponStaff, merchant], // names the merchant, signed by the staff
      ];
      for (const [actual, named] of cases) {
        const coupon = await makeCoupon(1, 1_000n, { signer: named });
        const signature = await signCoupon(actual, coupon, f.escrow.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
          f.escrow,
          "InvalidCouponSignature",
          [await f.escrow.read.hashCoupon([coupon]), getAddress(named)],
        );
      }
    });
  });

  describe("reverts", () => {
    it("reverts when the coupon is for another offering", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(2, 1_000n);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "CouponWrongOffering",
        [await f.escrow.read.hashCoupon([coupon]), 2, 1],
      );
    });

    it("reverts when the coupon is bound to another customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n, { customer: f.customer.account.address });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n, f.customer2),
        f.escrow,
        "CouponWrongCustomer",
        [
          await f.escrow.read.hashCoupon([coupon]),
          getAddress(f.customer.account.address),
          getAddress(f.customer2.account.address),
        ],
      );
    });

    it("reverts when the coupon expired one second ago", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const expiresAt = slot - 2 * 24 * 3600;
      const coupon = await makeCoupon(1, 1_000n, { expiresAt });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await atTime(expiresAt + 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "CouponExpired",
        [await f.escrow.read.hashCoupon([coupon]), expiresAt],
      );
    });

    it("reverts when the coupon was redeemed maxRedemptions times", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n, { maxRedemptions: 2 });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      await bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n);
      await bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n, f.customer2);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 2n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "CouponExhausted",
        [digest, 2],
      );
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 2n);
    });

    it("reverts when the coupon allows no redemption at all", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n, { maxRedemptions: 0 });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "CouponExhausted",
        [await f.escrow.read.hashCoupon([coupon]), 0],
      );
    });

    it("reverts when a coupon naming the merchant as its signer is signed by someone else", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      // A stranger, the merchant's own payout address, the customer: only the named signer's key counts.
      for (const signer of [f.stranger, f.payout, f.customer]) {
        const signature = await signCoupon(signer, coupon, f.escrow.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
          f.escrow,
          "InvalidCouponSignature",
          [digest, getAddress(f.merchant.account.address)],
        );
      }
    });

    it("reverts when the coupon was signed for another chain id", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n);
      const chainId = await f.publicClient.getChainId();
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address, chainId + 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "InvalidCouponSignature",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(f.merchant.account.address)],
      );
    });

    it("reverts when the coupon was signed for another escrow contract", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      // A second escrow where the same merchant has the same offering 1: its coupons must not work here.
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      const coupon = await makeCoupon(1, 1_000n);
      const signature = await signCoupon(f.merchant, coupon, other.address);
      assert.notEqual(await other.read.hashCoupon([coupon]), await f.escrow.read.hashCoupon([coupon]));
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "InvalidCouponSignature",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(f.merchant.account.address)],
      );
    });

    it("reverts when the coupon was signed under the version 1 domain", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n);
      const v1 = await f.merchant.signTypedData({
        account: f.merchant.account,
        domain: {
          name: "Earnest",
          version: "1",
          chainId: await f.publicClient.getChainId(),
          verifyingContract: f.escrow.address,
        },
        types: couponTypes,
        primaryType: "Coupon",
        message: coupon,
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, v1, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "InvalidCouponSignature",
        [await f.escrow.read.hashCoupon([coupon]), getAddress(f.merchant.account.address)],
      );
    });

    it("reverts when a field of a signed coupon was tampered with", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n, { maxRedemptions: 1 });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const tampered: Coupon[] = [
        { ...coupon, discount: parseEther("0.005") },
        { ...coupon, maxRedemptions: 1_000 },
        { ...coupon, expiresAt: coupon.expiresAt + 1 },
        { ...coupon, salt: zeroHash },
      ];
      for (const t of tampered) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          bookEthWithCoupon(f, slot, 1, t, signature, ETH_DEPOSIT - t.discount),
          f.escrow,
          "InvalidCouponSignature",
          [await f.escrow.read.hashCoupon([t]), getAddress(f.merchant.account.address)],
        );
      }
    });

    it("reverts when the signature is empty or malformed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      const garbage: Hex[] = ["0x", `0x${"11".repeat(65)}`, `0x${"22".repeat(10)}`];
      for (const signature of garbage) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
          f.escrow,
          "InvalidCouponSignature",
          [digest, getAddress(f.merchant.account.address)],
        );
      }
    });

    it("reverts when the discount exceeds the deposit", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const deposit = 2n * ETH_DEPOSIT;
      const coupon = await makeCoupon(1, deposit + 1n);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 2, coupon, signature, 0n),
        f.escrow,
        "CouponExceedsDeposit",
        [deposit + 1n, deposit],
      );
      assert.equal(await f.escrow.read.couponRedemptions([await f.escrow.read.hashCoupon([coupon])]), 0n);
    });

    it("reverts when the ETH sent is the full deposit instead of the discounted amount", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT),
        f.escrow,
        "WrongPayment",
        [ETH_DEPOSIT - 1_000n, ETH_DEPOSIT],
      );
    });

    it("reverts when the booking fails after the coupon checks, leaving the redemption uncounted", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await book(f, 1, slot, 4);
      const coupon = await makeCoupon(1, 1_000n, { maxRedemptions: 1 });
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "SlotFull",
        [1, slot, 0n, 1],
      );
      const digest = await f.escrow.read.hashCoupon([coupon]);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 0n);
      // The single redemption is still available on another slot.
      const booked = await bookedEvent(
        f,
        await bookEthWithCoupon(f, slot + 2 * 3600, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
      );
      assert.equal(booked.amount, ETH_DEPOSIT - 1_000n);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
    });

    it("reverts when bookings are paused, even with a valid coupon", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(1, 1_000n);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await f.escrow.write.setPaused([true]);
      await viem.assertions.revertWithCustomError(
        bookEthWithCoupon(f, slot, 1, coupon, signature, ETH_DEPOSIT - 1_000n),
        f.escrow,
        "BookingsPaused",
      );
    });

    it("reverts when the offering does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const coupon = await makeCoupon(9, 1_000n);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithCoupon([9, slot, 1, zeroHash, coupon, signature], {
          account: f.customer.account,
          value: ETH_DEPOSIT - 1_000n,
        }),
        f.escrow,
        "OfferingNotFound",
        [9],
      );
    });
  });
});
