// Loyalty rewards: with a coupon key (`--coupon-key`), each confirmed `Settled` as Fulfilled of an offering whose
// metadata has a loyalty rule (sdk/loyalty.ts) counts the customer's fulfilled visits of that offering, and at every
// multiple of the rule's N a coupon bound to the customer is signed, stored, announced to the merchant (webhook
// `loyalty.reward_issued`) and to the customer (Web Push `reward`), and listed at GET /loyalty/<customer>.
//
// A reward is keyed (escrow, offering, customer, reward number) in the store: decided in the transaction that
// commits the visit, so it is never issued twice, across restarts and reorganisations (a visit dropped and brought
// back counts to the same reward number, which is taken). Signing comes right after that commit; a crash in between
// leaves the reward unsigned, and the next step signs it (a coupon's fields come from on-chain data only and the
// signature is deterministic, RFC 6979, so it is the same coupon either way).
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  isAddress,
  numberToHex,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  BookingStatus,
  couponDomain,
  couponTypes,
  decodeBookingId,
  earnestEscrowAbi,
  encodeCouponLink,
  loyaltyCoupon,
  parseMetadata,
  rewardEarnedAt,
  STAFF_COUPONS,
  type Coupon,
  type EscrowEvent,
  type EscrowState,
  type LoyaltyRule,
  type Rpc,
} from "@earnest/sdk";
import { log } from "@earnest/service-kit";
import type { Webhooks } from "./config.js";
import { queuePush, type PushNotice } from "./push.js";
import type { EventRecord, LoyaltyRewardRow, Store } from "./store.js";

/** The webhook's `type`. */
export const REWARD_ISSUED = "loyalty.reward_issued";

type LoyaltyOffering = { merchant: Address; token: Address; depositPerSeat: bigint; rule: LoyaltyRule | undefined };

export type LoyaltyOptions = {
  rpc: Rpc;
  chainId: number;
  escrow: Address;
  /** The coupon key: the merchant's own, or a staff member's with the coupon role. */
  key: Hex;
  merchants: Map<Address, Webhooks>;
  /** Whether Web Push is on (else no reward notice is queued). */
  push: boolean;
};

/** The coupon's fields as decimal strings, as stored and served. */
export function couponJson(coupon: Coupon): Record<string, string> {
  return {
    offeringId: String(coupon.offeringId),
    discount: coupon.discount.toString(),
    maxRedemptions: String(coupon.maxRedemptions),
    expiresAt: String(coupon.expiresAt),
    customer: coupon.customer,
    salt: coupon.salt,
    signer: coupon.signer,
  };
}

export function couponOf(json: Record<string, string>): Coupon {
  return {
    offeringId: Number(json.offeringId),
    discount: BigInt(json.discount),
    maxRedemptions: Number(json.maxRedemptions),
    expiresAt: Number(json.expiresAt),
    customer: getAddress(json.customer),
    salt: json.salt as Hex,
    signer: getAddress(json.signer),
  };
}

/** What the HTTP listing and the webhook say of a signed reward. */
export function rewardView(r: LoyaltyRewardRow) {
  const coupon = couponOf(r.coupon);
  return {
    offeringId: r.offeringId,
    rewardNumber: r.rewardNumber,
    customer: getAddress(r.customer),
    bookingId: r.bookingId.toString(),
    discountBps: r.discountBps,
    token: getAddress(r.token),
    coupon: r.coupon,
    signature: r.signature,
    link: r.signature ? encodeCouponLink({ coupon, signature: r.signature }) : null,
  };
}

const rewardId = (chainId: number, r: Pick<LoyaltyRewardRow, "escrow" | "offeringId" | "customer" | "rewardNumber">) =>
  `loyalty:${chainId}:${r.escrow.toLowerCase()}:${r.offeringId}:${r.customer.toLowerCase()}:${r.rewardNumber}`;

const isFulfilled = (event: EscrowEvent): event is Extract<EscrowEvent, { eventName: "Settled" }> =>
  event.eventName === "Settled" && event.args.outcome === BookingStatus.Fulfilled;

/** Decides, signs and announces rewards. `prepare` reads what the range's visits need from the chain (their
 *  offerings' rules, the key's role); `record` runs in the follower's commit transaction; `issue` after it. */
export class LoyaltyIssuer {
  readonly signer: Address;
  private readonly account: PrivateKeyAccount;
  private readonly o: LoyaltyOptions;
  /** Offerings never change once created: read once, kept. */
  private readonly offerings = new Map<number, LoyaltyOffering>();
  /** Whether the key may sign the merchant's coupons, by `<merchant>:<block>`, for the range being committed. */
  private readonly allowed = new Map<string, boolean>();

  constructor(options: LoyaltyOptions) {
    this.o = { ...options, escrow: getAddress(options.escrow) };
    this.account = privateKeyToAccount(options.key);
    this.signer = this.account.address;
  }

  async prepare(events: readonly EscrowEvent[], fold: EscrowState): Promise<void> {
    this.allowed.clear();
    const visits = events.filter(isFulfilled);
    if (visits.length === 0) return;
    const missing = new Map<number, bigint>();
    for (const event of visits) {
      const { offeringId } = decodeBookingId(event.args.bookingId);
      if (this.offerings.has(offeringId)) continue;
      const offering = fold.offerings.get(offeringId);
      if (offering) this.offerings.set(offeringId, this.loyaltyOffering(offering));
      else missing.set(offeringId, event.blockNumber);
    }
    const reads = [...missing];
    const offeringResults = await this.o.rpc.batch<Hex>(
      reads.map(([offeringId, block]) => this.call("getOffering", [offeringId], block)),
    );
    reads.forEach(([offeringId], i) => {
      const data = offeringResults[i];
      const offering = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getOffering", data });
      this.offerings.set(offeringId, this.loyaltyOffering(offering));
    });

    // The key's roles at each visit's block, for staff keys (a merchant's own key may always sign).
    const roles = new Map<string, { merchant: Address; block: bigint }>();
    for (const event of visits) {
      const offering = this.offerings.get(decodeBookingId(event.args.bookingId).offeringId)!;
      if (!offering.rule) continue;
      const key = `${offering.merchant.toLowerCase()}:${event.blockNumber}`;
      if (offering.merchant.toLowerCase() === this.signer.toLowerCase()) this.allowed.set(key, true);
      else roles.set(key, { merchant: offering.merchant, block: event.blockNumber });
    }
    const roleReads = [...roles];
    const roleResults = await this.o.rpc.batch<Hex>(
      roleReads.map(([, { merchant, block }]) => this.call("staffRoles", [merchant, this.signer], block)),
    );
    roleReads.forEach(([key], i) => {
      const bits = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "staffRoles", data: roleResults[i] });
      this.allowed.set(key, (Number(bits) & STAFF_COUPONS) !== 0);
    });
  }

  private loyaltyOffering(o: {
    merchant: Address;
    token: Address;
    depositPerSeat: bigint;
    metadata: string;
  }): LoyaltyOffering {
    return {
      merchant: o.merchant,
      token: o.token,
      depositPerSeat: o.depositPerSeat,
      rule: parseMetadata(o.metadata).loyalty,
    };
  }

  private call(functionName: "getOffering" | "staffRoles", args: readonly unknown[], block: bigint) {
    return {
      method: "eth_call",
      params: [
        {
          to: this.o.escrow,
          data: encodeFunctionData({ abi: earnestEscrowAbi, functionName, args: args as never }),
        },
        numberToHex(block),
      ],
    };
  }

  /** Counts the visit an event just inserted (`store.insertEvent` true) is, and records the reward it earns. Inside
   *  the commit transaction; returns whether a reward was recorded. */
  record(store: Store, record: EventRecord, event: EscrowEvent, now: number): boolean {
    if (!isFulfilled(event)) return false;
    const { bookingId } = event.args;
    const { offeringId, slotStart } = decodeBookingId(bookingId);
    const offering = this.offerings.get(offeringId);
    const rule = offering?.rule;
    if (!offering || !rule) return false;
    // The customer from the booking's Booked event; one made before the notifier's start block is not counted.
    const customer = store.bookingCustomer(bookingId);
    if (!customer) return false;
    const visits = store.fulfilledVisits(offeringId, customer, BookingStatus.Fulfilled, {
      blockNumber: record.blockNumber,
      logIndex: record.logIndex,
    });
    const rewardNumber = rewardEarnedAt(rule, visits);
    if (rewardNumber === undefined) return false;
    const key = { escrow: this.o.escrow, offeringId, customer, rewardNumber };
    const existing = store.reward(this.o.escrow, offeringId, customer, rewardNumber);
    if (existing) {
      // The same reward again (a reorganisation brought its visit back): nothing new is issued; a notice the
      // reorganisation cancelled before it went out is queued again.
      if (existing.signature) this.queueNotice(store, existing, now);
      return false;
    }
    if (!this.allowed.get(`${offering.merchant.toLowerCase()}:${record.blockNumber}`)) {
      log("warn", "loyalty reward not issued", {
        reason: `the coupon key ${this.signer} has no coupon role (STAFF_COUPONS) with merchant ${offering.merchant}`,
        offeringId,
        customer,
        rewardNumber,
      });
      return false;
    }
    const coupon = loyaltyCoupon({
      offeringId,
      depositPerSeat: offering.depositPerSeat,
      rule,
      customer: getAddress(customer),
      rewardNumber,
      earnedAtSlotStart: slotStart,
      signer: this.signer,
    });
    return store.putReward({
      ...key,
      merchant: offering.merchant,
      token: offering.token,
      discountBps: rule.discountBps,
      bookingId,
      eventId: record.id,
      coupon: couponJson(coupon),
      createdAt: now,
    });
  }

  /** Signs the rewards recorded but not signed yet and queues their webhook and push, each in one transaction. */
  async issue(store: Store, now = Date.now()): Promise<number> {
    let issued = 0;
    for (const reward of store.unsignedRewards()) {
      const signature = await this.account.signTypedData({
        domain: couponDomain(this.o.chainId, this.o.escrow),
        types: couponTypes,
        primaryType: "Coupon",
        message: couponOf(reward.coupon),
      });
      const signed = { ...reward, signature };
      const done = store.transaction(() => {
        if (!store.signReward(reward, signature)) return false;
        this.queueWebhook(store, signed, now);
        this.queueNotice(store, signed, now);
        return true;
      });
      if (!done) continue;
      issued++;
      log("info", "loyalty reward issued", {
        offeringId: reward.offeringId,
        customer: reward.customer,
        rewardNumber: reward.rewardNumber,
      });
    }
    return issued;
  }

  private queueWebhook(store: Store, r: LoyaltyRewardRow, now: number): void {
    const merchant = getAddress(r.merchant);
    const hooks = this.o.merchants.get(merchant);
    if (!hooks) return;
    const id = rewardId(this.o.chainId, r);
    const body = JSON.stringify({
      id,
      type: REWARD_ISSUED,
      chainId: this.o.chainId,
      contract: this.o.escrow,
      merchant,
      eventId: r.eventId,
      ...rewardView(r),
    });
    for (const url of hooks.urls) {
      store.addDelivery(
        { notificationId: id, eventId: r.eventId, kind: "loyalty", target: `merchant:${merchant}`, url, body },
        now,
      );
    }
  }

  private queueNotice(store: Store, r: LoyaltyRewardRow, now: number): void {
    if (!this.o.push || !r.signature) return;
    const coupon = couponOf(r.coupon);
    const link = encodeCouponLink({ coupon, signature: r.signature });
    const notice: PushNotice = {
      kind: "reward",
      chainId: this.o.chainId,
      escrow: this.o.escrow,
      offeringId: r.offeringId,
      token: getAddress(r.token),
      amount: coupon.discount.toString(),
      discountBps: r.discountBps,
      rewardNumber: r.rewardNumber,
      salt: coupon.salt,
      // The dApp's coupon route: the offering's page with the coupon applied.
      url: `#/offerings/${r.offeringId}/coupon/${link}`,
    };
    queuePush(store, getAddress(r.customer), rewardId(this.o.chainId, r), r.eventId, notice, now);
  }
}

/** GET /loyalty/<customer address>: the customer's signed rewards. A coupon is bound to its customer, so listing
 *  them tells nobody anything they could use. CORS: the push origins when push is on, else any origin. */
export function handleLoyalty(
  o: { store: Store; escrow: Address; origins: readonly string[] | undefined },
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  if (!path.startsWith("/loyalty/")) return false;
  const origin = req.headers.origin;
  const cors: Record<string, string> = !o.origins
    ? { "access-control-allow-origin": "*" }
    : origin && o.origins.includes(origin)
      ? { "access-control-allow-origin": origin, vary: "Origin" }
      : { vary: "Origin" };
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { ...cors, "content-type": "application/json" }).end(JSON.stringify(body));
  if (req.method === "OPTIONS") {
    res
      .writeHead(204, {
        ...cors,
        "access-control-allow-methods": "GET",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
      })
      .end();
    return true;
  }
  if (req.method !== "GET") {
    json(405, { error: { code: "method_not_allowed", message: `No ${req.method} ${path}.` } });
    return true;
  }
  const customer = decodeURIComponent(path.slice("/loyalty/".length));
  if (!isAddress(customer, { strict: false })) {
    json(400, { error: { code: "invalid_address", message: `Not an address: ${JSON.stringify(customer)}.` } });
    return true;
  }
  const rewards = o.store.rewardsOf(o.escrow, customer).map(rewardView);
  json(200, { customer: getAddress(customer), rewards });
  return true;
}
