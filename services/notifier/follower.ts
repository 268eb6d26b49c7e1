// Follows the escrow's events up to `confirmations` blocks below the head. Each step either reads the next range
// of blocks and commits its events, their deliveries and the new cursor in one transaction, or, when the cursor's
// block hash is no longer on the chain, rewinds to the newest block both chains share (see Store.rewind).
import {
  BlockNotFoundError,
  getAddress,
  parseEventLogs,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
} from "viem";
import { decodeBookingId, earnestEscrowAbi } from "@earnest/sdk";
import type { RiskConfig, Webhooks } from "./config.js";
import { log } from "./log.js";
import { alertBody, eventBody, eventId, type BookingView, type EventPosition } from "./payload.js";
import { evaluateRisk, type Alert } from "./risk.js";
import type { EventRecord, Store } from "./store.js";

export type FollowerOptions = {
  client: PublicClient;
  store: Store;
  chainId: number;
  escrow: Address;
  startBlock: bigint;
  confirmations: number;
  blocksPerQuery: number;
  merchants: Map<Address, Webhooks>;
  alerts: Webhooks;
  risk: RiskConfig;
  /** Deliveries being sent right now: after a reorg they count as possibly received. */
  inFlight: () => ReadonlySet<number>;
  /** Called after new deliveries were committed. */
  onDeliveries: () => void;
  /** Called after a rewind cancelled deliveries. */
  onRewind: () => void;
};

/** Events that carry a booking id, whose booking state goes with the notification. */
const BOOKING_EVENTS = new Set(["Booked", "CheckedIn", "Disputed", "Settled", "CouponRedeemed"]);

type Prepared = {
  record: EventRecord;
  position: EventPosition;
  args: Record<string, unknown>;
  token: Address | undefined;
  /** The configured merchant it is delivered to. */
  deliverTo: Address | undefined;
};

export class Follower {
  head: bigint | undefined;
  /** The last block confirmed and processed. */
  processed: bigint | undefined;
  reorgs = 0;
  alertsRaised = 0;
  private readonly o: FollowerOptions;

  constructor(options: FollowerOptions) {
    this.o = options;
    this.processed = options.store.cursor()?.number;
  }

  private async blockHash(number: bigint): Promise<Hex | undefined> {
    try {
      return (await this.o.client.getBlock({ blockNumber: number })).hash;
    } catch (error) {
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    }
  }

  /** Reads and commits the next range; true when more confirmed blocks are waiting. */
  async step(): Promise<boolean> {
    const { client, store, escrow } = this.o;
    const head = await client.getBlockNumber({ cacheTime: 0 });
    this.head = head;
    const target = head - BigInt(this.o.confirmations);
    const cursor = store.cursor();
    if (cursor && (await this.blockHash(cursor.number)) !== cursor.hash) {
      await this.rewind();
      return true;
    }
    const from = cursor ? cursor.number + 1n : this.o.startBlock;
    if (target < from) return false;
    const to = target < from + BigInt(this.o.blocksPerQuery) - 1n ? target : from + BigInt(this.o.blocksPerQuery) - 1n;

    const toHash = await this.blockHash(to);
    const logs = await client.getLogs({ address: escrow, fromBlock: from, toBlock: to });
    // The chain must not have moved between the reads: then these logs are exactly the chain from cursor to `to`.
    const [toHashAfter, cursorHashAfter] = await Promise.all([
      this.blockHash(to),
      cursor ? this.blockHash(cursor.number) : undefined,
    ]);
    if (!toHash || toHashAfter !== toHash || (cursor && cursorHashAfter !== cursor.hash)) return true;

    const prepared = await this.prepare(logs);
    if (prepared === undefined) return true;
    const alerts = this.commit(prepared, { number: to, hash: toHash });
    this.processed = to;
    this.alertsRaised += alerts.length;
    for (const alert of alerts) log("warn", "alert", { rule: alert.rule, id: alert.id, message: alert.message });
    if (prepared.length > 0) {
      log("info", "events", { from: Number(from), to: Number(to), events: prepared.length, behind: Number(head - to) });
    }
    this.o.onDeliveries();
    return to < target;
  }

  /** Finds the newest stored block still on the chain and rewinds to it. */
  private async rewind(): Promise<void> {
    const { store } = this.o;
    let ancestor: { number: bigint; hash: Hex } | undefined;
    for (const block of store.knownBlocks()) {
      if ((await this.blockHash(block.number)) === block.hash) {
        ancestor = block;
        break;
      }
    }
    if (!ancestor) {
      const start = this.o.startBlock > 0n ? this.o.startBlock - 1n : 0n;
      const hash = await this.blockHash(start);
      if (!hash) throw new Error(`Block ${start} is missing from the chain.`);
      ancestor = { number: start, hash };
    }
    const found = ancestor;
    const { dropped, reverted } = store.transaction(() => store.rewind(found, this.o.inFlight(), Date.now()));
    this.reorgs++;
    this.processed = found.number;
    this.o.onRewind();
    log("warn", "reorg", { ancestor: Number(found.number), dropped, reverted });
    this.o.onDeliveries();
  }

  /** Decodes and routes a range's logs, reading what the store lacks from the chain; undefined if the chain moved. */
  private async prepare(logs: Log[]): Promise<Prepared[] | undefined> {
    const { client, store, chainId, escrow } = this.o;
    const decoded = parseEventLogs({ abi: earnestEscrowAbi, logs });
    if (decoded.length === 0) return [];

    // Routing tables as they stand after each event of this range, before anything is written.
    const offerings = new Map<number, { merchant: Address; token: Address }>();
    const payouts = new Map<string, Address>();
    const offeringOf = async (id: number, blockNumber: bigint) => {
      let offering = offerings.get(id) ?? store.offering(id);
      if (!offering) {
        // Created before the start block: ask the chain once, then keep it.
        const o = await client.readContract({
          address: escrow,
          abi: earnestEscrowAbi,
          functionName: "getOffering",
          args: [id],
          blockNumber,
        });
        offering = { merchant: o.merchant, token: o.token };
        this.fetchedOfferings.set(id, offering);
      }
      offerings.set(id, offering);
      return offering;
    };

    const times = new Map<bigint, { hash: Hex; timestamp: number }>();
    const blockNumbers = [...new Set(decoded.map((l) => l.blockNumber))];
    await Promise.all(
      blockNumbers.map(async (n) => {
        const block = await client.getBlock({ blockNumber: n });
        times.set(n, { hash: block.hash, timestamp: Number(block.timestamp) });
      }),
    );

    this.fetchedOfferings.clear();
    const prepared: Prepared[] = [];
    for (const l of decoded) {
      if (times.get(l.blockNumber)?.hash !== l.blockHash) return undefined;
      const args = l.args as Record<string, unknown>;
      const name = l.eventName;
      const position: EventPosition = {
        id: eventId(chainId, l.transactionHash, l.logIndex),
        chainId,
        contract: escrow,
        blockNumber: l.blockNumber,
        blockHash: l.blockHash,
        blockTimestamp: times.get(l.blockNumber)!.timestamp,
        transactionHash: l.transactionHash,
        logIndex: l.logIndex,
      };
      let merchant: Address | undefined;
      let offeringId: number | undefined;
      let token: Address | undefined;
      const bookingId = typeof args.bookingId === "bigint" ? args.bookingId : undefined;
      if (name === "OfferingCreated") {
        const terms = args.terms as { token: Address };
        offeringId = Number(args.offeringId);
        merchant = args.merchant as Address;
        offerings.set(offeringId, { merchant, token: terms.token });
      } else if (name === "MerchantRegistered" || name === "MerchantUpdated") {
        merchant = args.merchant as Address;
        payouts.set((args.payout as Address).toLowerCase(), merchant);
      } else if (name === "Claimed") {
        merchant = args.merchant as Address;
      } else if (name === "Credited" || name === "CreditWithdrawn") {
        const account = (args.account as Address).toLowerCase();
        merchant = payouts.get(account) ?? store.merchantOfPayout(account as Address);
        if (!merchant && this.o.merchants.has(getAddress(account))) merchant = account as Address;
      } else if (name === "OfferingActiveSet" || name === "Booked") {
        offeringId = Number(args.offeringId);
      } else if (bookingId !== undefined) {
        offeringId = decodeBookingId(bookingId).offeringId;
      }
      if (offeringId !== undefined) {
        const offering = await offeringOf(offeringId, l.blockNumber);
        merchant = offering.merchant;
        token = getAddress(offering.token);
      }
      const checksummed = merchant ? getAddress(merchant) : undefined;
      prepared.push({
        record: {
          id: position.id,
          blockNumber: l.blockNumber,
          blockHash: l.blockHash,
          blockTime: position.blockTimestamp,
          txHash: l.transactionHash,
          logIndex: l.logIndex,
          name,
          merchant: checksummed ?? null,
          offeringId: offeringId ?? null,
          customer: typeof args.customer === "string" ? (args.customer as Address) : null,
          bookingId: bookingId ?? null,
          args: JSON.stringify(args, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
        },
        position,
        args,
        token,
        deliverTo: checksummed && this.o.merchants.has(checksummed) ? checksummed : undefined,
      });
    }
    await this.readBookings(prepared);
    return prepared;
  }

  private readonly fetchedOfferings = new Map<number, { merchant: Address; token: Address }>();
  private readonly bookings = new Map<string, { view: BookingView; asOfBlock: bigint }>();

  /** The booking state right after each delivered event's block, one call per block. */
  private async readBookings(prepared: Prepared[]): Promise<void> {
    this.bookings.clear();
    const byBlock = new Map<bigint, bigint[]>();
    for (const p of prepared) {
      if (!p.deliverTo || !BOOKING_EVENTS.has(p.record.name) || p.record.bookingId === null) continue;
      const ids = byBlock.get(p.record.blockNumber) ?? [];
      ids.push(p.record.bookingId);
      byBlock.set(p.record.blockNumber, ids);
    }
    await Promise.all(
      [...byBlock].map(async ([blockNumber, ids]) => {
        const views = await this.o.client.readContract({
          address: this.o.escrow,
          abi: earnestEscrowAbi,
          functionName: "getBookings",
          args: [ids],
          blockNumber,
        });
        views.forEach((view, i) => this.bookings.set(`${blockNumber}:${ids[i]}`, { view, asOfBlock: blockNumber }));
      }),
    );
  }

  /** Writes a range's events, deliveries and alerts and moves the cursor, all in one transaction. */
  private commit(prepared: Prepared[], cursor: { number: bigint; hash: Hex }): Alert[] {
    const { store, merchants, alerts: alertHooks } = this.o;
    const now = Date.now();
    const raised: Alert[] = [];
    store.transaction(() => {
      for (const [id, o] of this.fetchedOfferings) store.putOffering(id, o.merchant, o.token, 0n);
      for (const p of prepared) {
        const { record, args } = p;
        if (record.name === "OfferingCreated") {
          store.putOffering(
            record.offeringId!,
            args.merchant as Address,
            (args.terms as { token: Address }).token,
            record.blockNumber,
          );
        } else if (record.name === "MerchantRegistered" || record.name === "MerchantUpdated") {
          store.putPayout(args.payout as Address, args.merchant as Address, record.blockNumber);
        }
        store.rememberBlock(record.blockNumber, record.blockHash);
        if (!store.insertEvent(record)) continue;
        if (p.deliverTo) {
          const booking =
            record.bookingId === null ? null : (this.bookings.get(`${record.blockNumber}:${record.bookingId}`) ?? null);
          const body = eventBody(p.position, record.name, args, p.deliverTo, booking);
          for (const url of merchants.get(p.deliverTo)!.urls) {
            store.addDelivery(
              {
                notificationId: record.id,
                eventId: record.id,
                kind: "event",
                target: `merchant:${p.deliverTo}`,
                url,
                body,
              },
              now,
            );
          }
        }
        for (const alert of evaluateRisk(store, this.o.risk, record, args, p.token)) {
          raised.push(alert);
          const body = alertBody(alert, p.position, record.name);
          for (const url of alertHooks.urls) {
            store.addDelivery(
              { notificationId: alert.id, eventId: record.id, kind: "alert", target: "alerts", url, body },
              now,
            );
          }
        }
      }
      store.setCursor(cursor);
      store.pruneBlocks();
    });
    return raised;
  }
}
