// Loyalty rules as an offering's metadata publishes them, the coupon a reward makes and a customer's progress.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, getAddress, keccak256 } from "viem";
import {
  LOYALTY_COUPON_LIFETIME,
  loyaltyCoupon,
  loyaltyProgress,
  parseLoyaltyRule,
  parseMetadata,
  rewardEarnedAt,
} from "@earnest/sdk";

const CUSTOMER = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
const OTHER = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const SIGNER = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

describe("loyalty rules", () => {
  it("reads a valid rule, at both ends of each bound", () => {
    for (const rule of [
      { visits: 5, discountBps: 2000 },
      { visits: 2, discountBps: 1 },
      { visits: 100, discountBps: 10_000 },
    ]) {
      assert.deepEqual(parseLoyaltyRule(rule), rule);
      assert.deepEqual(parseMetadata(JSON.stringify({ name: "Dinner", loyalty: rule })).loyalty, rule);
    }
  });

  it("drops a bad rule and keeps the rest of the metadata", () => {
    const bad: unknown[] = [
      { visits: 1, discountBps: 2000 },
      { visits: 101, discountBps: 2000 },
      { visits: 5, discountBps: 0 },
      { visits: 5, discountBps: 10_001 },
      { visits: 4.5, discountBps: 2000 },
      { visits: "5", discountBps: 2000 },
      { visits: 5 },
      { discountBps: 2000 },
      [5, 2000],
      "every 5th",
      null,
      5,
    ];
    for (const loyalty of bad) {
      assert.equal(parseLoyaltyRule(loyalty), undefined, JSON.stringify(loyalty));
      const meta = parseMetadata(JSON.stringify({ name: "Dinner", timeZone: "Europe/Rome", loyalty }));
      assert.equal(meta.name, "Dinner");
      assert.equal(meta.timeZone, "Europe/Rome");
      assert.equal("loyalty" in meta, false, JSON.stringify(loyalty));
    }
  });

  it("has no rule when the metadata has none", () => {
    assert.equal("loyalty" in parseMetadata('{"name":"Dinner"}'), false);
    assert.equal("loyalty" in parseMetadata("Dinner"), false);
  });
});

describe("loyalty rewards", () => {
  const rule = { visits: 5, discountBps: 2000 };

  it("earns reward k exactly at the k·N-th visit", () => {
    const earned = Array.from({ length: 16 }, (_, v) => rewardEarnedAt(rule, v));
    assert.deepEqual(
      earned.map((k, v) => [v, k]).filter(([, k]) => k !== undefined),
      [
        [5, 1],
        [10, 2],
        [15, 3],
      ],
    );
  });

  it("says how far the next reward is", () => {
    assert.deepEqual(loyaltyProgress(rule, 0), { earned: 0, visitsSinceReward: 0, visitsToNext: 5 });
    assert.deepEqual(loyaltyProgress(rule, 3), { earned: 0, visitsSinceReward: 3, visitsToNext: 2 });
    assert.deepEqual(loyaltyProgress(rule, 5), { earned: 1, visitsSinceReward: 0, visitsToNext: 5 });
    assert.deepEqual(loyaltyProgress(rule, 14), { earned: 2, visitsSinceReward: 4, visitsToNext: 1 });
  });

  it("makes a single-use coupon bound to the customer, one seat's share off, for 180 days from the visit", () => {
    const earnedAtSlotStart = 1_767_200_000;
    const coupon = loyaltyCoupon({
      offeringId: 7,
      depositPerSeat: 12_345_678n,
      rule,
      customer: CUSTOMER,
      rewardNumber: 2,
      earnedAtSlotStart,
      signer: SIGNER,
    });
    assert.equal(coupon.offeringId, 7);
    assert.equal(coupon.discount, 2_469_135n); // 12,345,678 × 20 %, rounded down
    assert.equal(coupon.maxRedemptions, 1);
    assert.equal(coupon.customer, CUSTOMER);
    assert.equal(coupon.signer, SIGNER);
    assert.equal(coupon.expiresAt, earnedAtSlotStart + 180 * 24 * 3600);
    assert.equal(LOYALTY_COUPON_LIFETIME, 180 * 24 * 3600);
    assert.equal(
      coupon.salt,
      keccak256(
        encodeAbiParameters(
          [{ type: "string" }, { type: "uint32" }, { type: "address" }, { type: "uint256" }],
          ["earnest.loyalty", 7, CUSTOMER, 2n],
        ),
      ),
    );
  });

  it("gives each reward, customer and offering its own salt, and the same inputs the same coupon", () => {
    const base = {
      offeringId: 7,
      depositPerSeat: 10n ** 16n,
      rule,
      customer: CUSTOMER,
      rewardNumber: 1,
      earnedAtSlotStart: 1_767_200_000,
      signer: SIGNER,
    };
    const salts = new Set(
      [base, { ...base, rewardNumber: 2 }, { ...base, customer: OTHER }, { ...base, offeringId: 8 }].map(
        (input) => loyaltyCoupon(input).salt,
      ),
    );
    assert.equal(salts.size, 4);
    assert.deepEqual(loyaltyCoupon(base), loyaltyCoupon({ ...base }));
    // A whole deposit off at 100 %, never more.
    assert.equal(loyaltyCoupon({ ...base, rule: { visits: 5, discountBps: 10_000 } }).discount, 10n ** 16n);
  });
});
