// Sends the outbox: each pending delivery is POSTed, signed, until a 2xx answer; failures are retried with
// exponential backoff and jitter, and after `maxAttempts` the delivery becomes a dead letter. A delivery is marked
// sent only after the receiver answered, so a crash in between sends it again: at least once, same id.
import { log } from "@earnest/service-kit";
import type { DeliveryConfig, Webhooks } from "./config.js";
import { COUNTER, observeLatencies } from "./metrics.js";
import type { PushSender } from "./push.js";
import { signedHeaders } from "./signature.js";
import type { DeliveryRow, Store } from "./store.js";

export type DeliveryOptions = {
  store: Store;
  config: DeliveryConfig;
  merchants: Map<string, Webhooks>;
  alerts: Webhooks;
  /** Sends `push` deliveries; undefined when push is off (those are then cancelled). */
  push?: PushSender;
};

/** Backoff before attempt `attempts + 1`: half fixed, half random, so that retries from many senders spread out. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class DeliveryQueue {
  readonly inFlight = new Set<number>();
  private readonly o: DeliveryOptions;
  private running = false;
  /** Due deliveries read ahead, so that the table is not queried for every request. */
  private buffer: DeliveryRow[] = [];
  /** Deliveries answered 2xx, marked sent together in the next flush. */
  private sent: { id: number; attempts: number; at: number; latency: number | undefined }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: DeliveryOptions) {
    this.o = options;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** New deliveries were committed, or a slot came free. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Deliveries that may have reached their receiver but are not marked sent yet: in flight, or awaiting the flush. */
  mayHaveArrived(): ReadonlySet<number> {
    return new Set([...this.inFlight, ...this.sent.map((r) => r.id)]);
  }

  /** A reorganisation cancelled deliveries: forget what was read ahead, it may hold some of them. */
  discardReadAhead(): void {
    this.buffer = [];
  }

  private flushSent(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const sent = this.sent;
    this.sent = [];
    if (sent.length === 0) return;
    const { store } = this.o;
    store.transaction(() => {
      // Counted only when marked: a delivery a reorganisation cancelled meanwhile, or one sent again after a crash
      // before this flush, is counted once.
      const marked = sent.filter((s) => store.markSent(s.id, s.attempts, s.at));
      store.bump(COUNTER.sent, marked.length);
      observeLatencies(
        store,
        marked.flatMap((s) => (s.latency === undefined ? [] : [s.latency])),
      );
    });
  }

  /** Stops taking new work and waits for the requests in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    while (this.inFlight.size > 0) await new Promise((r) => setTimeout(r, 20));
    this.flushSent();
  }

  private secretFor(target: string): string | undefined {
    if (target === "alerts") return this.o.alerts.secret || undefined;
    return this.o.merchants.get(target.slice("merchant:".length))?.secret;
  }

  private async run(): Promise<void> {
    const { store, config } = this.o;
    while (this.running) {
      let free = config.concurrency - this.inFlight.size;
      while (free > 0) {
        if (this.buffer.length === 0) {
          const busy = new Set(this.sent.map((r) => r.id));
          this.buffer = store
            .due(Date.now(), 4 * config.concurrency)
            .filter((r) => !this.inFlight.has(r.id) && !busy.has(r.id));
        }
        const row = this.buffer.shift();
        if (!row) break;
        free--;
        this.inFlight.add(row.id);
        void this.send(row).finally(() => {
          this.inFlight.delete(row.id);
          this.wake();
        });
      }
      const next = free > 0 ? store.nextDueAt() : undefined;
      // At least 20 ms: rows awaiting the sent-flush look due but are not to be sent again.
      const wait = next === undefined ? 1000 : Math.max(20, Math.min(1000, next - Date.now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** The backoff after a failed attempt, or undefined when it was the last (a dead letter). */
  private nextAttemptAt(attempts: number): number | undefined {
    const { config } = this.o;
    return attempts >= config.maxAttempts
      ? undefined
      : Date.now() + backoffMs(attempts, config.backoffBaseMs, config.backoffMaxMs);
  }

  /** A push is marked sent before it is sent, unlike a webhook: a crash mid-request loses it rather than showing
   *  the customer the same notice twice (at most once; a failure answered puts it back for a retry). */
  private async sendPush(row: DeliveryRow, attempts: number): Promise<void> {
    const { store, config } = this.o;
    if (!store.transaction(() => store.claimPush(row.id, attempts, Date.now()))) return; // cancelled meanwhile
    const result = this.o.push
      ? await this.o.push.send(row, config.timeoutMs)
      : { ok: false as const, gone: true, error: "push is not configured any more" };
    if (result.ok) {
      store.bump(COUNTER.sent);
      return;
    }
    if (result.gone) {
      // The subscription expired or was removed: nothing will ever reach it.
      store.cancelDelivery(row.id);
      log("info", "push subscription gone", { delivery: row.id, target: row.target, error: result.error });
      return;
    }
    const nextAt = this.nextAttemptAt(attempts);
    store.transaction(() => {
      store.bump(COUNTER.attemptsFailed);
      if (store.releasePush(row.id, result.error, nextAt) && nextAt === undefined) store.bump(COUNTER.deadLettered);
    });
    if (nextAt === undefined) {
      log("error", "dead letter", {
        delivery: row.id,
        id: row.notificationId,
        url: row.url,
        attempts,
        error: result.error,
      });
    }
  }

  private async send(row: DeliveryRow): Promise<void> {
    const { store, config } = this.o;
    const attempts = row.attempts + 1;
    if (row.kind === "push") return this.sendPush(row, attempts);
    const secret = this.secretFor(row.target);
    let error: string;
    if (secret === undefined) {
      error = `no secret configured for ${row.target} any more`;
    } else {
      try {
        const response = await fetch(row.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "earnest-notifier",
            ...signedHeaders(secret, row.body),
          },
          body: row.body,
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) {
          // Batched: a crash before the flush only means these are sent again, which at-least-once allows.
          const at = Date.now();
          // From the block's timestamp; a `reverted` has no block of its own. A block stamped ahead of this clock
          // (allowed by a few seconds) counts as no delay.
          const latency =
            row.kind === "reverted" || row.blockTime === null ? undefined : Math.max(0, at / 1000 - row.blockTime);
          this.sent.push({ id: row.id, attempts, at, latency });
          this.flushTimer ??= setTimeout(() => this.flushSent(), 20);
          return;
        }
        error = `HTTP ${response.status}`;
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        error = cause?.code ?? cause?.message ?? (e as Error).message;
      }
    }
    const nextAt = this.nextAttemptAt(attempts);
    const dead = nextAt === undefined;
    store.transaction(() => {
      store.bump(COUNTER.attemptsFailed);
      if (store.markFailed(row.id, attempts, error, nextAt) && dead) store.bump(COUNTER.deadLettered);
    });
    if (dead) log("error", "dead letter", { delivery: row.id, id: row.notificationId, url: row.url, attempts, error });
  }
}
