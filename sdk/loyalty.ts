// Loyalty: a rule an offering's metadata publishes ("loyalty": { "visits": N, "discountBps": B }), read by customers
// and by the notifier, which signs a coupon bound to the customer at every Nth fulfilled visit. A visit is a booking
// of that offering by that customer settled as Fulfilled (the escrow's `Settled` event), counted in chain order;
// reward k is earned when the count reaches k·N. Every field of a reward's coupon follows from on-chain data, so the
// same reward always makes the same coupon (and signature).
import { encodeAbiParameters, getAddress, keccak256, type Address, type Hex } from "viem";
import { BPS } from "./settlement.js";
import type { Coupon } from "./typed-data.js";

/** After every `visits` fulfilled visits, `discountBps` of one seat's deposit off a next booking. */
export type LoyaltyRule = { visits: number; discountBps: number };

/** The bounds a rule's numbers must lie in (whole numbers). */
export const LOYALTY_VISITS = { min: 2, max: 100 } as const;
export const LOYALTY_DISCOUNT_BPS = { min: 1, max: 10_000 } as const;
/** How long a reward's coupon is good for, from the slot start of the visit that earned it. */
export const LOYALTY_COUPON_LIFETIME = 180 * 24 * 3600;

const wholeIn = (value: unknown, { min, max }: { min: number; max: number }): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** The rule in `raw` (an offering metadata's `loyalty`), or undefined when it is not a valid one. */
export function parseLoyaltyRule(raw: unknown): LoyaltyRule | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const { visits, discountBps } = raw as Record<string, unknown>;
  if (!wholeIn(visits, LOYALTY_VISITS) || !wholeIn(discountBps, LOYALTY_DISCOUNT_BPS)) return undefined;
  return { visits, discountBps };
}

/** The reward number the `fulfilledVisits`-th visit earns (1 at N, 2 at 2N, …), or undefined when it earns none. */
export function rewardEarnedAt(rule: LoyaltyRule, fulfilledVisits: number): number | undefined {
  return fulfilledVisits > 0 && fulfilledVisits % rule.visits === 0 ? fulfilledVisits / rule.visits : undefined;
}

export type LoyaltyProgress = {
  /** Rewards earned so far. */
  earned: number;
  /** Visits counted towards the next reward. */
  visitsSinceReward: number;
  /** Fulfilled visits still needed for the next reward (1 to N). */
  visitsToNext: number;
};

/** Where a customer with `fulfilledVisits` stands: for "2 more visits for 20 % off". */
export function loyaltyProgress(rule: LoyaltyRule, fulfilledVisits: number): LoyaltyProgress {
  const visitsSinceReward = fulfilledVisits % rule.visits;
  return {
    earned: Math.floor(fulfilledVisits / rule.visits),
    visitsSinceReward,
    visitsToNext: rule.visits - visitsSinceReward,
  };
}

/** The salt of a reward's coupon: one per offering, customer and reward number. */
export function loyaltySalt(offeringId: number, customer: Address, rewardNumber: number): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "uint32" }, { type: "address" }, { type: "uint256" }],
      ["earnest.loyalty", offeringId, customer, BigInt(rewardNumber)],
    ),
  );
}

export type LoyaltyCouponInput = {
  offeringId: number;
  depositPerSeat: bigint;
  rule: LoyaltyRule;
  customer: Address;
  /** 1 for the reward of the Nth visit, 2 for the 2Nth, … */
  rewardNumber: number;
  /** The slot start of the booking whose settlement earned it (its k·N-th fulfilled visit). */
  earnedAtSlotStart: number;
  /** Who signs: the merchant, or its staff with the coupon role. */
  signer: Address;
};

/** The coupon of a reward: one seat's share of the discount (so never above a booking's deposit), redeemable once,
 *  by the customer only, for 180 days from the slot start of the visit that earned it. */
export function loyaltyCoupon(input: LoyaltyCouponInput): Coupon {
  const { offeringId, depositPerSeat, rule, customer, rewardNumber, earnedAtSlotStart, signer } = input;
  return {
    offeringId,
    discount: (depositPerSeat * BigInt(rule.discountBps)) / BPS,
    maxRedemptions: 1,
    expiresAt: earnedAtSlotStart + LOYALTY_COUPON_LIFETIME,
    customer: getAddress(customer),
    salt: loyaltySalt(offeringId, customer, rewardNumber),
    signer: getAddress(signer),
  };
}
