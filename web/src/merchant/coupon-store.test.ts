import { zeroAddress, zeroHash } from "viem";
import { beforeEach, describe, expect, it } from "vitest";
import type { SignedCoupon } from "@earnest/sdk";
import { loadCoupons, saveCoupon } from "./coupon-store";

const scope = {
  chainId: 31337,
  escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  merchant: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
};

const coupon = (discount: bigint): SignedCoupon => ({
  coupon: {
    offeringId: 3,
    discount,
    maxRedemptions: 10,
    expiresAt: 1_900_000_000,
    customer: zeroAddress,
    salt: zeroHash,
    signer: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  },
  signature: `0x${"ab".repeat(65)}`,
});

beforeEach(() => localStorage.clear());

describe("coupon store", () => {
  it("keeps a merchant's coupons across reloads, newest first", () => {
    saveCoupon(scope, coupon(1n));
    saveCoupon({ ...scope, merchant: scope.merchant.toLowerCase() }, coupon(2n));
    expect(loadCoupons(scope)).toEqual([coupon(2n), coupon(1n)]);
  });

  it("keeps each merchant, chain and escrow apart", () => {
    saveCoupon(scope, coupon(1n));
    expect(loadCoupons({ ...scope, merchant: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" })).toEqual([]);
    expect(loadCoupons({ ...scope, chainId: 1 })).toEqual([]);
    expect(loadCoupons({ ...scope, escrow: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" })).toEqual([]);
  });

  it("skips damaged entries and survives a damaged store", () => {
    saveCoupon(scope, coupon(1n));
    const stored = JSON.parse(localStorage.getItem("earnest.coupons")!) as Record<string, string[]>;
    const key = Object.keys(stored)[0];
    localStorage.setItem("earnest.coupons", JSON.stringify({ [key]: ["not-a-coupon", ...stored[key]] }));
    expect(loadCoupons(scope)).toEqual([coupon(1n)]);
    localStorage.setItem("earnest.coupons", "{broken");
    expect(loadCoupons(scope)).toEqual([]);
    saveCoupon(scope, coupon(5n));
    expect(loadCoupons(scope)).toEqual([coupon(5n)]);
  });
});
