// Web Push to customers' phones: what each escrow event tells the customer who booked, the "free cancellation
// ends" notice (due by chain time, like the contract's refund tiers), and sending them, encrypted (RFC 8291,
// aes128gcm) and signed with the notifier's VAPID key (RFC 8292) by the `web-push` package.
//
// Notices are queued in the delivery outbox as `push` deliveries, in the transaction that commits their event, and
// go out only once the event is `confirmations` deep, like webhooks, but at most once (delivery.ts marks a push sent
// before sending it). A unique index keeps one delivery per notice and subscription (a reorganisation that brings an
// event back does not notify twice); a push cannot be recalled, so a reorganisation only drops those not yet sent. The payload says what happened in ids and amounts, no words:
// the dApp's service worker words it in the language the customer chose.
import { createHash, ECDH } from "node:crypto";
import { decodeFunctionResult, encodeFunctionData, getAddress, numberToHex, type Address } from "viem";
import webPush from "web-push";
import {
  BookingStatus,
  BPS,
  earnestEscrowAbi,
  nextRefundDrop,
  refundBps,
  type CancellationTier,
  type EscrowEvent,
  type EscrowState,
  type Rpc,
} from "@earnest/sdk";
import type { PushConfig } from "./push-config.js";
import type { DeliveryRow, EventRecord, PushReminderRow, Store } from "./store.js";

export type PushKind = "booked" | "freeCancellationEnding" | "refunded" | "disputeRuled" | "creditWithdrawn" | "reward";

/** What the service worker receives (decrypted). Amounts are decimal strings of the token's smallest unit. */
export type PushNotice = {
  kind: PushKind;
  chainId: number;
  escrow: Address;
  bookingId?: string;
  /** The deposit (booked), the refund (refunded, disputeRuled), the credit paid out (creditWithdrawn) or the
   *  coupon's discount (reward). */
  amount?: string;
  token?: Address;
  /** The booking's slot start (booked), Unix seconds. */
  slotStart?: number;
  /** When the full refund ends (freeCancellationEnding), Unix seconds. */
  endsAt?: number;
  /** The refund share after that, in basis points. */
  refundBpsAfter?: number;
  /** The share the arbiter ruled (disputeRuled) or the policy gave (refunded), in basis points. */
  refundBps?: number;
  /** A loyalty reward (loyalty.ts): the offering, the rule's discount in basis points, which reward it is, and its
   *  coupon's salt (one per reward). */
  offeringId?: number;
  discountBps?: number;
  rewardNumber?: number;
  salt?: `0x${string}`;
  /** Where a tap leads when the page has no pass for the booking: a route of the dApp. */
  url: string;
};

const MY_BOOKINGS = "#/bookings";

/** What an event tells a customer, and which customer; undefined when it tells them nothing. */
export function noticeOf(
  event: EscrowEvent,
  customer: Address | undefined,
  where: { chainId: number; escrow: Address },
): { customer: Address; notice: PushNotice } | undefined {
  const base = { chainId: where.chainId, escrow: where.escrow, url: MY_BOOKINGS };
  switch (event.eventName) {
    case "Booked": {
      const { bookingId, customer: booker, amount, slotStart } = event.args;
      return {
        customer: booker,
        notice: { ...base, kind: "booked", bookingId: bookingId.toString(), amount: amount.toString(), slotStart },
      };
    }
    case "Settled": {
      if (!customer) return undefined;
      const { bookingId, outcome, customerShare, refundBps: share } = event.args;
      const ruled = outcome === BookingStatus.Resolved;
      // A ruling is news whatever it gave; any other outcome only when money came back.
      if (!ruled && customerShare === 0n) return undefined;
      return {
        customer,
        notice: {
          ...base,
          kind: ruled ? "disputeRuled" : "refunded",
          bookingId: bookingId.toString(),
          amount: customerShare.toString(),
          refundBps: Number(share),
        },
      };
    }
    case "CreditWithdrawn": {
      // A refund the escrow could not pay at once was credited; this is it arriving.
      const { account, token, amount } = event.args;
      return { customer: account, notice: { ...base, kind: "creditWithdrawn", token, amount: amount.toString() } };
    }
    default:
      return undefined;
  }
}

/** When the full refund of a booking made at `bookedAt` ends, if it has one then. */
export function freeCancellationEnds(
  tiers: readonly CancellationTier[],
  slotStart: number,
  bookedAt: number,
): { endsAt: number; refundBpsAfter: number } | undefined {
  if (refundBps(tiers, slotStart - bookedAt) !== Number(BPS)) return undefined;
  const drop = nextRefundDrop(tiers, slotStart, bookedAt);
  return drop && { endsAt: drop.at, refundBpsAfter: drop.refundBps };
}

export type PushRouterOptions = {
  rpc: Rpc;
  chainId: number;
  escrow: Address;
  noticeSeconds: number;
};

/** Turns committed events into push deliveries and reminders. `prepare` reads from the chain what the store and the
 *  range do not hold (the cancellation tiers of older offerings, the customer of older bookings); `record` and
 *  `sweep` run inside the follower's commit transaction. */
export class PushRouter {
  /** Offerings' cancellation tiers (terms never change once created). */
  private readonly tiers = new Map<number, CancellationTier[]>();
  /** The customers of the range's settled bookings. */
  private readonly customers = new Map<bigint, Address>();

  private readonly o: PushRouterOptions;

  constructor(options: PushRouterOptions) {
    this.o = { ...options, escrow: getAddress(options.escrow) };
  }

  async prepare(store: Store, events: readonly EscrowEvent[], fold: EscrowState): Promise<void> {
    this.customers.clear();
    const missingTiers = new Map<number, bigint>();
    const missingCustomers = new Map<bigint, bigint>();
    for (const event of events) {
      if (event.eventName === "Booked") {
        const { offeringId } = event.args;
        const offering = fold.offerings.get(offeringId);
        if (offering) this.tiers.set(offeringId, [...offering.cancellationTiers]);
        else if (!this.tiers.has(offeringId)) missingTiers.set(offeringId, event.blockNumber);
      } else if (event.eventName === "Settled") {
        const { bookingId } = event.args;
        const customer = fold.bookings.get(bookingId)?.customer ?? store.bookingCustomer(bookingId);
        if (customer) this.customers.set(bookingId, customer);
        else missingCustomers.set(bookingId, event.blockNumber);
      }
    }
    const offerings = [...missingTiers];
    const bookings = [...missingCustomers];
    if (offerings.length + bookings.length === 0) return;
    const results = await this.o.rpc.batch<`0x${string}`>([
      ...offerings.map(([offeringId, block]) => ({
        method: "eth_call",
        params: [
          {
            to: this.o.escrow,
            data: encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getOffering", args: [offeringId] }),
          },
          numberToHex(block),
        ],
      })),
      ...bookings.map(([bookingId, block]) => ({
        method: "eth_call",
        params: [
          {
            to: this.o.escrow,
            data: encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getBookings", args: [[bookingId]] }),
          },
          numberToHex(block),
        ],
      })),
    ]);
    offerings.forEach(([offeringId], i) => {
      const o = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getOffering", data: results[i] });
      this.tiers.set(offeringId, [...o.cancellationTiers]);
    });
    bookings.forEach(([bookingId], i) => {
      const data = results[offerings.length + i];
      const [view] = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getBookings", data });
      if (view) this.customers.set(bookingId, view.customer);
    });
  }

  /** Queues the event's notice for the customer's subscriptions and remembers a booking's reminder. Call for an
   *  event just inserted (`store.insertEvent` true), inside the commit transaction. */
  record(store: Store, record: EventRecord, event: EscrowEvent, now: number): void {
    const customer = event.eventName === "Settled" ? this.customers.get(event.args.bookingId) : undefined;
    const routed = noticeOf(event, customer, this.o);
    if (routed) queuePush(store, routed.customer, record.id, record.id, routed.notice, now);
    if (event.eventName !== "Booked") return;
    const { bookingId, offeringId, customer: booker, slotStart } = event.args;
    const tiers = this.tiers.get(offeringId);
    const ends = tiers && freeCancellationEnds(tiers, slotStart, record.blockTime);
    if (!ends) return;
    const notifyAt = ends.endsAt - this.o.noticeSeconds;
    // Booked inside the notice's lead time: the customer just read the terms, a notice now would be noise.
    if (notifyAt <= record.blockTime) return;
    store.putReminder({ bookingId, eventId: record.id, customer: booker, offeringId, notifyAt, ...ends });
  }

  /** Queues the reminders due by `chainTime` (the confirmed head's timestamp); one whose booking can no longer be
   *  cancelled, or whose free cancellation is over, is skipped. Inside the commit transaction. */
  sweep(store: Store, chainTime: number, now: number): void {
    for (const r of store.dueReminders(chainTime)) {
      if (chainTime >= r.endsAt || store.bookingClosed(r.bookingId)) {
        store.setReminderStatus(r.bookingId, "skipped");
        continue;
      }
      queuePush(
        store,
        r.customer,
        `reminder:${this.o.chainId}:${r.bookingId}`,
        r.eventId,
        reminderNotice(r, this.o),
        now,
      );
      store.setReminderStatus(r.bookingId, "sent");
    }
  }
}

function reminderNotice(r: PushReminderRow, where: { chainId: number; escrow: Address }): PushNotice {
  return {
    kind: "freeCancellationEnding",
    chainId: where.chainId,
    escrow: where.escrow,
    bookingId: r.bookingId.toString(),
    endsAt: r.endsAt,
    refundBpsAfter: r.refundBpsAfter,
    url: MY_BOOKINGS,
  };
}

/** Queues `notice` for each of the customer's subscriptions. Inside a transaction. */
export function queuePush(
  store: Store,
  customer: Address,
  notificationId: string,
  eventId: string,
  notice: PushNotice,
  now: number,
): void {
  const body = JSON.stringify(notice);
  for (const sub of store.pushSubscriptionsOf(customer)) {
    store.addPushDelivery({ notificationId, eventId, target: `push:${sub.id}`, url: sub.endpoint, body }, now);
  }
}

/** How long a push service keeps an undelivered notice: a day, or until the free cancellation it announces ends. */
const TTL_SECONDS = 24 * 3600;

export type PushResult = { ok: true } | { ok: false; gone: boolean; error: string };

/** Sends `push` deliveries: web-push encrypts and signs, fetch sends (so that timeouts work as for webhooks). */
export class PushSender {
  constructor(
    private readonly store: Store,
    private readonly config: PushConfig,
  ) {}

  async send(row: DeliveryRow, timeoutMs: number): Promise<PushResult> {
    const sub = this.store.pushSubscription(Number(row.target.slice("push:".length)));
    if (!sub) return { ok: false, gone: true, error: "subscription removed" };
    const notice = JSON.parse(row.body) as PushNotice;
    const ttl =
      notice.endsAt === undefined ? TTL_SECONDS : Math.max(0, Math.min(TTL_SECONDS, notice.endsAt - Date.now() / 1000));
    const request = webPush.generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      row.body,
      {
        vapidDetails: {
          subject: this.config.subject,
          publicKey: this.config.vapidPublicKey,
          privateKey: this.config.vapidPrivateKey,
        },
        contentEncoding: "aes128gcm",
        TTL: Math.floor(ttl),
        urgency: "normal",
        // One topic per notice: a push service holding one undelivered replaces it rather than adding a second.
        topic: createHash("sha256").update(row.notificationId).digest("base64url").slice(0, 32),
      },
    );
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body ? new Uint8Array(request.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      // RFC 8030: 404/410, the subscription expired or was unsubscribed; it will never work again.
      const gone = response.status === 404 || response.status === 410;
      if (gone) this.store.transaction(() => this.store.removePushSubscription(sub.id));
      return { ok: false, gone, error: `HTTP ${response.status}` };
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return { ok: false, gone: false, error: cause?.code ?? cause?.message ?? (e as Error).message };
    }
  }
}

/** Checks a browser's PushSubscription before storing it: an endpoint we may POST to and keys RFC 8291 can use. */
export function checkSubscription(
  value: unknown,
  allowHttp: boolean,
): { endpoint: string; p256dh: string; auth: string } | string {
  const sub = value as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | null;
  if (typeof sub !== "object" || sub === null || typeof sub.endpoint !== "string") return "no endpoint";
  let endpoint: URL;
  try {
    endpoint = new URL(sub.endpoint);
  } catch {
    return "the endpoint is not a URL";
  }
  if (endpoint.protocol !== "https:" && !(allowHttp && endpoint.protocol === "http:")) {
    return "the endpoint must be https";
  }
  const { p256dh, auth } = sub.keys ?? {};
  if (typeof p256dh !== "string" || typeof auth !== "string") return "keys.p256dh and keys.auth are needed";
  const point = Buffer.from(p256dh, "base64url");
  try {
    if (point.length !== 65) throw new Error("not 65 bytes");
    ECDH.convertKey(point, "prime256v1"); // throws for a point off the curve
  } catch {
    return "keys.p256dh is not an uncompressed P-256 point";
  }
  if (Buffer.from(auth, "base64url").length !== 16) return "keys.auth is not 16 bytes";
  return { endpoint: sub.endpoint, p256dh, auth };
}
