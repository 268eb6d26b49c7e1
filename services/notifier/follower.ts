// Follows the escrow's events up to `confirmations` blocks below the head, through the sdk's chain reader. Each
// step either reads the next range of blocks and commits its events, their deliveries and the new cursor in one
// transaction, or, when the cursor's block hash is no longer on the chain, rewinds to the newest block both chains
// share (see Store.rewind).
import { decodeFunctionResult, encodeFunctionData, getAddress, numberToHex, type Address, type Hex } from "viem";
import {
  applyEvent,
  createEscrowState,
  createLogRange,
  decodeLogs,
  earnestEscrowAbi,
  eventSubject,
  readBlockHeaders,
  readLogs,
  readTransactionParties,
  type EscrowEvent,
  type EscrowState,
  type LogRange,
  type Rpc,
} from "@earnest/sdk";
import { log } from "@earnest/service-kit";
import type { RiskConfig, Webhooks } from "./config.js";
import { alertBody, eventBody, eventId, type BookingView, type EventPosition } from "./payload.js";
import type { LoyaltyIssuer } from "./loyalty.js";
import { COUNTER } from "./metrics.js";
import type { PushRouter } from "./push.js";
import { evaluateRisk, type Alert } from "./risk.js";
import type { EventRecord, Store } from "./store.js";

export type FollowerOptions = {
  rpc: Rpc;
  store: Store;
  chainId: number;
  escrow: Address;
  startBlock: bigint;
  confirmations: number;
  /** The first range of blocks read in one step; the reader shrinks it when the provider refuses a range and grows
   *  it back after successes. */
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
  /** Web Push to customers (push.ts); undefined when push is off. */
  push?: PushRouter;
  /** Loyalty rewards (loyalty.ts); undefined when no coupon key is set. */
  loyalty?: LoyaltyIssuer;
};

type Prepared = {
  event: EscrowEvent;
  record: EventRecord;
  position: EventPosition;
  token: Address | undefined;
  /** The configured merchant it is delivered to. */
  deliverTo: Address | undefined;
  /** Who sent its transaction (read for delivered events only). */
  transactionFrom?: Address;
};

type RoutedOffering = { merchant: Address; token: Address };

export class Follower {
  head: bigint | undefined;
  /** The last block confirmed and processed. */
  processed: bigint | undefined;
  private readonly o: FollowerOptions;
  private readonly range: LogRange;

  constructor(options: FollowerOptions) {
    this.o = options;
    this.processed = options.store.cursor()?.number;
    this.range = createLogRange({ initial: options.blocksPerQuery });
  }

  private async blockHash(number: bigint): Promise<Hex | undefined> {
    const header = await this.o.rpc.call<{ hash: Hex } | null>("eth_getBlockByNumber", [numberToHex(number), false]);
    return header?.hash;
  }

  /** Reads and commits the next range; true when more confirmed blocks are waiting. */
  async step(): Promise<boolean> {
    const { rpc, store, escrow } = this.o;
    // Rewards recorded but not signed (the process stopped between the commit and the signing).
    if (this.o.loyalty && (await this.o.loyalty.issue(store)) > 0) this.o.onDeliveries();
    const head = BigInt(await rpc.call<Hex>("eth_blockNumber"));
    this.head = head;
    const target = head - BigInt(this.o.confirmations);
    const cursor = store.cursor();
    if (cursor && (await this.blockHash(cursor.number)) !== cursor.hash) {
      await this.rewind();
      return true;
    }
    const from = cursor ? cursor.number + 1n : this.o.startBlock;
    if (target < from) return false;
    const to = target < from + this.range.blocks - 1n ? target : from + this.range.blocks - 1n;

    const toHash = await this.blockHash(to);
    const logs = await readLogs(rpc, { address: escrow, fromBlock: from, toBlock: to, range: this.range });
    // The chain must not have moved between the reads: then these logs are exactly the chain from cursor to `to`.
    const [toHashAfter, cursorHashAfter] = await Promise.all([
      this.blockHash(to),
      cursor ? this.blockHash(cursor.number) : undefined,
    ]);
    if (!toHash || toHashAfter !== toHash || (cursor && cursorHashAfter !== cursor.hash)) return true;

    const prepared = await this.prepare(decodeLogs(logs));
    if (prepared === undefined) return true;
    // The confirmed head's time decides which "free cancellation ends" notices are due (the contract's clock).
    const chainTime =
      this.o.push && store.hasPendingReminders() ? (await readBlockHeaders(rpc, [to])).get(to)?.timestamp : undefined;
    const alerts = this.commit(prepared.events, prepared.fold, { number: to, hash: toHash }, chainTime);
    this.processed = to;
    await this.o.loyalty?.issue(store);
    for (const alert of alerts) log("warn", "alert", { rule: alert.rule, id: alert.id, message: alert.message });
    if (prepared.events.length > 0) {
      log("info", "events", {
        from: Number(from),
        to: Number(to),
        events: prepared.events.length,
        behind: Number(head - to),
      });
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
    const { dropped, reverted } = store.transaction(() => {
      store.bump(COUNTER.reorgs);
      return store.rewind(found, this.o.inFlight(), Date.now());
    });
    this.processed = found.number;
    this.o.onRewind();
    log("warn", "reorg", { ancestor: Number(found.number), dropped, reverted });
    this.o.onDeliveries();
  }

  /** Routes a range's events, reading what neither the range nor the store holds from the chain; undefined if the
   *  chain moved. The range's events are folded (sdk/fold) on their own: the fold says what each event concerns,
   *  and holds the offerings and payout addresses the range itself creates. */
  private async prepare(events: EscrowEvent[]): Promise<{ events: Prepared[]; fold: EscrowState } | undefined> {
    const { store, chainId, escrow } = this.o;
    const fold = createEscrowState();
    if (events.length === 0) return { events: [], fold };

    const headers = await readBlockHeaders(this.o.rpc, [...new Set(events.map((e) => e.blockNumber))]);
    this.fetchedOfferings.clear();
    const prepared: Prepared[] = [];
    for (const event of events) {
      const header = headers.get(event.blockNumber);
      if (!header || header.hash !== event.blockHash) return undefined;
      applyEvent(fold, event);
      const subject = eventSubject(fold, event);
      let { merchant, token } = subject;
      if (subject.offeringId !== undefined && merchant === undefined) {
        ({ merchant, token } = await this.offeringOf(subject.offeringId, event.blockNumber));
      }
      if (subject.account !== undefined && merchant === undefined) {
        merchant = store.merchantOfPayout(subject.account);
        // A credit to a configured merchant's own address is its own.
        if (!merchant && this.o.merchants.has(getAddress(subject.account))) merchant = subject.account;
      }
      const position: EventPosition = {
        id: eventId(chainId, event.transactionHash, event.logIndex),
        chainId,
        contract: escrow,
        blockNumber: event.blockNumber,
        blockHash: header.hash,
        blockTimestamp: header.timestamp,
        transactionHash: event.transactionHash,
        logIndex: event.logIndex,
      };
      const checksummed = merchant ? getAddress(merchant) : undefined;
      prepared.push({
        event,
        record: {
          id: position.id,
          blockNumber: event.blockNumber,
          blockHash: header.hash,
          blockTime: header.timestamp,
          txHash: event.transactionHash,
          logIndex: event.logIndex,
          name: event.eventName,
          merchant: checksummed ?? null,
          offeringId: subject.offeringId ?? null,
          customer: subject.customer ?? null,
          bookingId: subject.bookingId ?? null,
          args: JSON.stringify(event.args, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
        },
        position,
        token: token && getAddress(token),
        deliverTo: checksummed && this.o.merchants.has(checksummed) ? checksummed : undefined,
      });
    }
    if (!(await this.readSenders(prepared))) return undefined;
    await this.readBookings(prepared);
    await this.o.push?.prepare(store, events, fold);
    await this.o.loyalty?.prepare(events, fold);
    return { events: prepared, fold };
  }

  /** Offerings created before this range and not in the store (made before the start block), read from the chain. */
  private readonly fetchedOfferings = new Map<number, RoutedOffering>();
  private readonly bookings = new Map<string, { view: BookingView; asOfBlock: bigint }>();

  /** An offering's merchant and token from the store, else from the chain (once, then kept). */
  private async offeringOf(offeringId: number, blockNumber: bigint): Promise<RoutedOffering> {
    const known = this.fetchedOfferings.get(offeringId) ?? this.o.store.offering(offeringId);
    if (known) return known;
    const data = encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getOffering", args: [offeringId] });
    const result = await this.o.rpc.call<Hex>("eth_call", [{ to: this.o.escrow, data }, numberToHex(blockNumber)]);
    const offering = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getOffering", data: result });
    const routed = { merchant: offering.merchant, token: offering.token };
    this.fetchedOfferings.set(offeringId, routed);
    return routed;
  }

  /** Who sent each delivered event's transaction, in one batch; false if one is no longer on the chain. */
  private async readSenders(prepared: Prepared[]): Promise<boolean> {
    const delivered = prepared.filter((p) => p.deliverTo);
    const parties = await readTransactionParties(this.o.rpc, [
      ...new Set(delivered.map((p) => p.event.transactionHash)),
    ]);
    for (const p of delivered) {
      const tx = parties.get(p.event.transactionHash);
      if (!tx) return false;
      p.transactionFrom = getAddress(tx.from);
    }
    return true;
  }

  /** The booking state right after each delivered event's block, one `getBookings` per block, in one batch. */
  private async readBookings(prepared: Prepared[]): Promise<void> {
    this.bookings.clear();
    const byBlock = new Map<bigint, bigint[]>();
    for (const p of prepared) {
      if (!p.deliverTo || p.record.bookingId === null) continue;
      const ids = byBlock.get(p.record.blockNumber) ?? [];
      ids.push(p.record.bookingId);
      byBlock.set(p.record.blockNumber, ids);
    }
    const blocks = [...byBlock];
    const results = await this.o.rpc.batch<Hex>(
      blocks.map(([blockNumber, ids]) => ({
        method: "eth_call",
        params: [
          {
            to: this.o.escrow,
            data: encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getBookings", args: [ids] }),
          },
          numberToHex(blockNumber),
        ],
      })),
    );
    results.forEach((data, i) => {
      const [blockNumber, ids] = blocks[i];
      const views = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getBookings", data });
      views.forEach((view, j) => this.bookings.set(`${blockNumber}:${ids[j]}`, { view, asOfBlock: blockNumber }));
    });
  }

  /** Writes a range's events, deliveries and alerts, the offerings and payout addresses it created, and moves the
   *  cursor, all in one transaction. */
  private commit(
    prepared: Prepared[],
    fold: EscrowState,
    cursor: { number: bigint; hash: Hex },
    chainTime: number | undefined,
  ): Alert[] {
    const { store, merchants, alerts: alertHooks } = this.o;
    const now = Date.now();
    const raised: Alert[] = [];
    store.transaction(() => {
      for (const [id, o] of this.fetchedOfferings) store.putOffering(id, o.merchant, o.token, 0n);
      for (const [id, o] of fold.offerings) store.putOffering(id, o.merchant, o.token, o.createdBlock);
      for (const [payout, owner] of fold.payoutOwners) store.putPayout(payout, owner.merchant, owner.block);
      for (const p of prepared) {
        const { record, event } = p;
        store.rememberBlock(record.blockNumber, record.blockHash);
        if (!store.insertEvent(record)) continue;
        this.o.push?.record(store, record, event, now);
        this.o.loyalty?.record(store, record, event, now);
        if (p.deliverTo) {
          const booking =
            record.bookingId === null ? null : (this.bookings.get(`${record.blockNumber}:${record.bookingId}`) ?? null);
          const body = eventBody(p.position, record.name, event.args, p.deliverTo, booking, p.transactionFrom!);
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
        for (const alert of evaluateRisk(store, this.o.risk, record, event, p.token)) {
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
      if (chainTime !== undefined) this.o.push?.sweep(store, chainTime, now);
      store.bump(COUNTER.alerts, raised.length);
      store.setCursor(cursor);
      store.pruneBlocks();
    });
    return raised;
  }
}
