// The notifier's state in one SQLite file (node:sqlite, nothing to install): the cursor, the events seen, the
// delivery outbox, and what routing and the risk rules need. The follower writes a batch of events, their
// deliveries and the new cursor in one transaction, so a crash at any point either keeps all of it or none.
import { DatabaseMismatchError, SqliteStore } from "@earnest/service-kit";
import type { Address, Hex } from "viem";

export type Cursor = { number: bigint; hash: Hex };

export type EventRecord = {
  id: string;
  blockNumber: bigint;
  blockHash: Hex;
  blockTime: number;
  txHash: Hex;
  logIndex: number;
  name: string;
  merchant: Address | null;
  offeringId: number | null;
  customer: Address | null;
  bookingId: bigint | null;
  /** The event's arguments as JSON (bigints as decimal strings). */
  args: string;
};

/** `push`: a Web Push notice to one customer's subscription (push.ts), at most one per notice and subscription.
 *  `loyalty`: a loyalty reward issued (loyalty.ts), to the merchant's webhooks; never reverted (a coupon stands). */
export type DeliveryKind = "event" | "reverted" | "alert" | "push" | "loyalty";

export type NewDelivery = {
  /** The id receivers deduplicate on: the event id, or the alert id. */
  notificationId: string;
  /** The chain event this notification stems from (for reorg handling). */
  eventId: string;
  kind: DeliveryKind;
  /** Whose secret signs it: `merchant:<address>` or `alerts`; for push, `push:<subscription id>`. */
  target: string;
  url: string;
  body: string;
};

export type DeliveryRow = NewDelivery & {
  id: number;
  attempts: number;
  createdAt: number;
  /** The block time of the event it stems from (seconds), for the delivery-latency histogram. */
  blockTime: number | null;
};

export type DeliveryCounts = { pending: number; sent: number; dead: number; cancelled: number };

/** Block hashes kept for finding the common ancestor after a reorganisation. */
const KEPT_BLOCKS = 2048;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  block_time INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  merchant TEXT,
  offering_id INTEGER,
  customer TEXT,
  booking_id TEXT,
  args TEXT NOT NULL,
  status TEXT NOT NULL -- live | dropped
);
CREATE INDEX IF NOT EXISTS events_block ON events (block_number);
CREATE INDEX IF NOT EXISTS events_customer ON events (name, customer, block_time);
CREATE INDEX IF NOT EXISTS events_offering ON events (name, offering_id, block_time);
CREATE TABLE IF NOT EXISTS offerings (
  offering_id INTEGER PRIMARY KEY,
  merchant TEXT NOT NULL,
  token TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS payouts (
  payout TEXT NOT NULL,
  merchant TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (payout, block_number, merchant)
);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY,
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  block_time INTEGER NOT NULL,
  event_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_subject ON alerts (rule, subject, block_time);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  notification_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL, -- pending | sent | dead | cancelled
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_at);
CREATE INDEX IF NOT EXISTS deliveries_event ON deliveries (event_id);
-- The metrics' counters (name -> value), written in the transaction that changes what they count, so that they only
-- ever grow: across restarts, retry-dead-letters and crashes alike.
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value REAL NOT NULL);
-- Web Push (push.ts). A customer's browsers, each subscribed with a Sign-In with Ethereum message.
CREATE TABLE IF NOT EXISTS push_subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  address TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (address, endpoint)
);
CREATE INDEX IF NOT EXISTS push_subscriptions_endpoint ON push_subscriptions (endpoint);
-- SIWE nonces this notifier issued; used_at set once: a message is accepted once.
CREATE TABLE IF NOT EXISTS push_nonces (nonce TEXT PRIMARY KEY, issued_at INTEGER NOT NULL, used_at INTEGER);
-- "Free cancellation ends" notices, one per booking: pending until due by chain time, then sent or skipped.
CREATE TABLE IF NOT EXISTS push_reminders (
  booking_id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  customer TEXT NOT NULL,
  offering_id INTEGER NOT NULL,
  notify_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  refund_bps_after INTEGER NOT NULL,
  status TEXT NOT NULL -- pending | sent | skipped
);
CREATE INDEX IF NOT EXISTS push_reminders_due ON push_reminders (status, notify_at);
-- A booking's customer and whether it can still be cancelled, for push.
CREATE INDEX IF NOT EXISTS events_booking ON events (booking_id);
-- At most one push per notice and subscription, also when a reorganisation brings its event back.
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_push_once ON deliveries (notification_id, target) WHERE kind = 'push';
-- Loyalty rewards (loyalty.ts), one per offering, customer and reward number, ever: the key is what makes a reward
-- never issued twice, across restarts and reorganisations. Decided in the commit of the visit that earned it;
-- signed (and its webhook and push queued) right after, also after a crash in between.
CREATE TABLE IF NOT EXISTS loyalty_rewards (
  escrow TEXT NOT NULL,
  offering_id INTEGER NOT NULL,
  customer TEXT NOT NULL,
  reward_number INTEGER NOT NULL,
  merchant TEXT NOT NULL,
  token TEXT NOT NULL,
  discount_bps INTEGER NOT NULL,
  booking_id TEXT NOT NULL, -- the booking whose settlement earned it
  event_id TEXT NOT NULL, -- its Settled event
  coupon TEXT NOT NULL, -- the coupon's fields as JSON (numbers as decimal strings)
  signature TEXT, -- NULL until signed
  created_at INTEGER NOT NULL,
  PRIMARY KEY (escrow, offering_id, customer, reward_number)
);
CREATE INDEX IF NOT EXISTS loyalty_rewards_customer ON loyalty_rewards (customer);
CREATE INDEX IF NOT EXISTS loyalty_rewards_unsigned ON loyalty_rewards (signature) WHERE signature IS NULL;
`;

/** A loyalty reward as stored; `coupon` is ICoupons.Coupon with its numbers as decimal strings. */
export type LoyaltyRewardRow = {
  escrow: Address;
  offeringId: number;
  customer: Address;
  rewardNumber: number;
  merchant: Address;
  token: Address;
  discountBps: number;
  bookingId: bigint;
  eventId: string;
  coupon: Record<string, string>;
  signature: Hex | null;
  createdAt: number;
};

type LoyaltyRewardDbRow = {
  escrow: Address;
  offering_id: number;
  customer: Address;
  reward_number: number;
  merchant: Address;
  token: Address;
  discount_bps: number;
  booking_id: string;
  event_id: string;
  coupon: string;
  signature: Hex | null;
  created_at: number;
};

const rewardRow = (r: LoyaltyRewardDbRow): LoyaltyRewardRow => ({
  escrow: r.escrow,
  offeringId: r.offering_id,
  customer: r.customer,
  rewardNumber: r.reward_number,
  merchant: r.merchant,
  token: r.token,
  discountBps: r.discount_bps,
  bookingId: BigInt(r.booking_id),
  eventId: r.event_id,
  coupon: JSON.parse(r.coupon) as Record<string, string>,
  signature: r.signature,
  createdAt: r.created_at,
});

const REWARD_COLUMNS = `escrow, offering_id, customer, reward_number, merchant, token, discount_bps, booking_id, event_id,
  coupon, signature, created_at`;

export type PushSubscriptionRow = { id: number; address: Address; endpoint: string; p256dh: string; auth: string };

export type PushReminderRow = {
  bookingId: bigint;
  eventId: string;
  customer: Address;
  offeringId: number;
  notifyAt: number;
  endsAt: number;
  refundBpsAfter: number;
};

export class Store extends SqliteStore {
  constructor(path: string) {
    // WAL: what a power cut could lose is re-read from the chain or re-sent, which at-least-once delivery allows.
    super(path, SCHEMA);
  }

  /** Binds the database to one chain and contract; refuses to mix another one's events into it. */
  bind(chainId: number, escrow: Address): void {
    const chain = this.meta("chain_id");
    const contract = this.meta("escrow");
    if (chain !== undefined && (chain !== String(chainId) || contract !== escrow.toLowerCase())) {
      throw new DatabaseMismatchError(
        `The database follows ${contract} on chain ${chain}, not ${escrow} on chain ${chainId}: use another --db.`,
      );
    }
    this.setMeta("chain_id", String(chainId));
    this.setMeta("escrow", escrow.toLowerCase());
  }

  cursor(): Cursor | null {
    const number = this.meta("cursor_number");
    const hash = this.meta("cursor_hash");
    return number === undefined || hash === undefined ? null : { number: BigInt(number), hash: hash as Hex };
  }

  /** The first block to read when there is no cursor yet. */
  startBlock(): bigint | undefined {
    const start = this.meta("start_block");
    return start === undefined ? undefined : BigInt(start);
  }

  setStartBlock(block: bigint): void {
    this.setMeta("start_block", String(block));
  }

  setCursor(cursor: Cursor): void {
    this.setMeta("cursor_number", String(cursor.number));
    this.setMeta("cursor_hash", cursor.hash);
    this.sql("INSERT OR REPLACE INTO blocks (number, hash) VALUES (?, ?)").run(Number(cursor.number), cursor.hash);
  }

  rememberBlock(number: bigint, hash: Hex): void {
    this.sql("INSERT OR REPLACE INTO blocks (number, hash) VALUES (?, ?)").run(Number(number), hash);
  }

  pruneBlocks(): void {
    this.sql("DELETE FROM blocks WHERE number < (SELECT number FROM blocks ORDER BY number DESC LIMIT 1 OFFSET ?)").run(
      KEPT_BLOCKS,
    );
  }

  /** Known block hashes, newest first, for the ancestor search. */
  knownBlocks(): { number: bigint; hash: Hex }[] {
    const rows = this.sql("SELECT number, hash FROM blocks ORDER BY number DESC").all() as {
      number: number;
      hash: Hex;
    }[];
    return rows.map((r) => ({ number: BigInt(r.number), hash: r.hash }));
  }

  /** Records an event; false when it is already live (so it must not be notified again). */
  insertEvent(e: EventRecord): boolean {
    const result = this.sql(
      `INSERT INTO events (id, block_number, block_hash, block_time, tx_hash, log_index, name, merchant, offering_id,
         customer, booking_id, args, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'live')
       ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash,
         block_time = excluded.block_time, merchant = excluded.merchant, offering_id = excluded.offering_id,
         customer = excluded.customer, booking_id = excluded.booking_id, args = excluded.args, status = 'live'
       WHERE events.status = 'dropped'`,
    ).run(
      e.id,
      Number(e.blockNumber),
      e.blockHash,
      e.blockTime,
      e.txHash,
      e.logIndex,
      e.name,
      e.merchant?.toLowerCase() ?? null,
      e.offeringId,
      e.customer?.toLowerCase() ?? null,
      e.bookingId?.toString() ?? null,
      e.args,
    );
    return Number(result.changes) > 0;
  }

  offering(offeringId: number): { merchant: Address; token: Address } | undefined {
    return this.sql("SELECT merchant, token FROM offerings WHERE offering_id = ?").get(offeringId) as
      { merchant: Address; token: Address } | undefined;
  }

  putOffering(offeringId: number, merchant: Address, token: Address, blockNumber: bigint): void {
    this.sql("INSERT OR REPLACE INTO offerings (offering_id, merchant, token, block_number) VALUES (?, ?, ?, ?)").run(
      offeringId,
      merchant.toLowerCase(),
      token.toLowerCase(),
      Number(blockNumber),
    );
  }

  /** The merchant whose payout address this is, by its latest registration or update. */
  merchantOfPayout(payout: Address): Address | undefined {
    const row = this.sql("SELECT merchant FROM payouts WHERE payout = ? ORDER BY block_number DESC LIMIT 1").get(
      payout.toLowerCase(),
    ) as { merchant: Address } | undefined;
    return row?.merchant;
  }

  putPayout(payout: Address, merchant: Address, blockNumber: bigint): void {
    this.sql("INSERT OR IGNORE INTO payouts (payout, merchant, block_number) VALUES (?, ?, ?)").run(
      payout.toLowerCase(),
      merchant.toLowerCase(),
      Number(blockNumber),
    );
  }

  /** Live events of `name` with `column` = `value` after `since`, counted up to `limit` (enough for a threshold). */
  countEvents(
    name: string,
    column: "customer" | "offering_id",
    value: string | number,
    since: number,
    limit: number,
  ): number {
    const row = this.sql(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE name = ? AND ${column} = ? AND block_time > ?
         AND status = 'live' LIMIT ?)`,
    ).get(name, value, since, limit) as { n: number };
    return row.n;
  }

  /** Live settlements of an offering with one of `outcomes` after `since`, counted up to `limit`. */
  countSettlements(offeringId: number, outcomes: readonly number[], since: number, limit: number): number {
    const row = this.sql(
      `SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE name = 'Settled' AND offering_id = ? AND block_time > ?
         AND status = 'live' AND json_extract(args, '$.outcome') IN (SELECT value FROM json_each(?)) LIMIT ?)`,
    ).get(offeringId, since, JSON.stringify(outcomes), limit) as { n: number };
    return row.n;
  }

  /** Whether an alert of this rule and subject was raised after `since` (so one burst raises one alert). */
  alertSince(rule: string, subject: string, since: number): boolean {
    return (
      this.sql("SELECT 1 FROM alerts WHERE rule = ? AND subject = ? AND block_time > ? LIMIT 1").get(
        rule,
        subject,
        since,
      ) !== undefined
    );
  }

  putAlert(id: string, rule: string, subject: string, blockTime: number, eventId: string): boolean {
    const result = this.sql(
      "INSERT OR IGNORE INTO alerts (id, rule, subject, block_time, event_id) VALUES (?, ?, ?, ?, ?)",
    ).run(id, rule, subject, blockTime, eventId);
    return Number(result.changes) > 0;
  }

  addDelivery(d: NewDelivery, now: number): void {
    this.sql(
      `INSERT INTO deliveries (notification_id, event_id, kind, target, url, body, status, next_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    ).run(d.notificationId, d.eventId, d.kind, d.target, d.url, d.body, now, now);
  }

  /**
   * Undoes everything above `ancestor` after a reorganisation: those events are marked dropped, their
   * not-yet-attempted deliveries are cancelled, and every receiver that may have seen one of them (sent, attempted
   * or in flight now) gets a "reverted" notification with the same id. Returns the counts.
   */
  rewind(ancestor: Cursor, inFlight: ReadonlySet<number>, now: number): { dropped: number; reverted: number } {
    const above = Number(ancestor.number);
    const dropped = this.sql("SELECT id FROM events WHERE block_number > ? AND status = 'live'").all(above) as {
      id: string;
    }[];
    let reverted = 0;
    const cancel = this.sql("UPDATE deliveries SET status = 'cancelled' WHERE id = ? AND status = 'pending'");
    for (const { id } of dropped) {
      const deliveries = this.sql(
        `SELECT id, notification_id, kind, target, url, body, status, attempts FROM deliveries
         WHERE event_id = ? AND kind IN ('event', 'alert') AND status != 'cancelled'`,
      ).all(id) as {
        id: number;
        notification_id: string;
        kind: DeliveryKind;
        target: string;
        url: string;
        body: string;
        status: string;
        attempts: number;
      }[];
      for (const d of deliveries) {
        const mayHaveArrived = d.status !== "pending" || d.attempts > 0 || inFlight.has(d.id);
        if (d.status === "pending") cancel.run(d.id);
        if (!mayHaveArrived) continue;
        const body = { ...(JSON.parse(d.body) as Record<string, unknown>), type: "reverted" };
        this.addDelivery(
          {
            notificationId: d.notification_id,
            eventId: id,
            kind: "reverted",
            target: d.target,
            url: d.url,
            body: JSON.stringify(body),
          },
          now,
        );
        reverted++;
      }
      this.sql("DELETE FROM alerts WHERE event_id = ?").run(id);
      // A push cannot be taken back from a phone: one not sent yet is dropped, a reminder not due yet forgotten.
      this.sql(
        "UPDATE deliveries SET status = 'cancelled' WHERE event_id = ? AND kind = 'push' AND status = 'pending'",
      ).run(id);
      this.sql("DELETE FROM push_reminders WHERE event_id = ? AND status = 'pending'").run(id);
    }
    this.sql("UPDATE events SET status = 'dropped' WHERE block_number > ? AND status = 'live'").run(above);
    this.sql("DELETE FROM offerings WHERE block_number > ?").run(above);
    this.sql("DELETE FROM payouts WHERE block_number > ?").run(above);
    this.sql("DELETE FROM blocks WHERE number > ?").run(above);
    this.setCursor(ancestor);
    return { dropped: dropped.length, reverted };
  }

  /** Pending deliveries due by `now`, oldest first. */
  due(now: number, limit: number): DeliveryRow[] {
    const rows = this.sql(
      `SELECT d.id, d.notification_id, d.event_id, d.kind, d.target, d.url, d.body, d.attempts, d.created_at,
         e.block_time FROM deliveries d LEFT JOIN events e ON e.id = d.event_id
       WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?`,
    ).all(now, limit) as {
      id: number;
      notification_id: string;
      event_id: string;
      kind: DeliveryKind;
      target: string;
      url: string;
      body: string;
      attempts: number;
      created_at: number;
      block_time: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      notificationId: r.notification_id,
      eventId: r.event_id,
      kind: r.kind,
      target: r.target,
      url: r.url,
      body: r.body,
      attempts: r.attempts,
      createdAt: r.created_at,
      blockTime: r.block_time,
    }));
  }

  /** When the next pending delivery falls due, if any. */
  nextDueAt(): number | undefined {
    const row = this.sql("SELECT min(next_at) AS t FROM deliveries WHERE status = 'pending'").get() as {
      t: number | null;
    };
    return row.t ?? undefined;
  }

  /** Marks a delivery sent; false when it was not pending any more (a reorganisation cancelled it meanwhile). */
  markSent(id: number, attempts: number, now: number): boolean {
    const result = this.sql(
      "UPDATE deliveries SET status = 'sent', attempts = ?, sent_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'",
    ).run(attempts, now, id);
    return Number(result.changes) > 0;
  }

  /** Records a failed attempt: retried at `nextAt`, or a dead letter when `nextAt` is undefined. False when it was
   *  not pending any more. */
  markFailed(id: number, attempts: number, error: string, nextAt: number | undefined): boolean {
    const result = this.sql(
      `UPDATE deliveries SET attempts = ?, last_error = ?, status = ?, next_at = ? WHERE id = ? AND status = 'pending'`,
    ).run(attempts, error, nextAt === undefined ? "dead" : "pending", nextAt ?? 0, id);
    return Number(result.changes) > 0;
  }

  /** Adds `by` to the stored counter `name`. */
  bump(name: string, by = 1): void {
    if (by === 0) return;
    this.sql(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
    ).run(name, by);
  }

  /** Every stored counter by name (a counter never bumped is absent: 0). */
  counters(): Map<string, number> {
    const rows = this.sql("SELECT name, value FROM counters").all() as { name: string; value: number }[];
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  counts(): DeliveryCounts {
    const counts: DeliveryCounts = { pending: 0, sent: 0, dead: 0, cancelled: 0 };
    const rows = this.sql("SELECT status, count(*) AS n FROM deliveries GROUP BY status").all() as {
      status: keyof DeliveryCounts;
      n: number;
    }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  deadLetters(): { id: number; notificationId: string; url: string; attempts: number; lastError: string | null }[] {
    const rows = this.sql(
      "SELECT id, notification_id, url, attempts, last_error FROM deliveries WHERE status = 'dead' ORDER BY id",
    ).all() as { id: number; notification_id: string; url: string; attempts: number; last_error: string | null }[];
    return rows.map((r) => ({
      id: r.id,
      notificationId: r.notification_id,
      url: r.url,
      attempts: r.attempts,
      lastError: r.last_error,
    }));
  }

  /** Puts every dead letter back in the queue with a fresh attempt budget. */
  retryDeadLetters(now: number): number {
    const result = this.sql(
      "UPDATE deliveries SET status = 'pending', attempts = 0, next_at = ? WHERE status = 'dead'",
    ).run(now);
    return Number(result.changes);
  }

  // --- Web Push ----------------------------------------------------------------------------------------------------

  /** Stores a subscription (or its new keys); returns its id. */
  putPushSubscription(address: Address, endpoint: string, p256dh: string, auth: string, now: number): number {
    const row = this.sql(
      `INSERT INTO push_subscriptions (address, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (address, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth
       RETURNING id`,
    ).get(address.toLowerCase(), endpoint, p256dh, auth, now) as { id: number };
    return row.id;
  }

  pushSubscription(id: number): PushSubscriptionRow | undefined {
    return this.sql("SELECT id, address, endpoint, p256dh, auth FROM push_subscriptions WHERE id = ?").get(id) as
      PushSubscriptionRow | undefined;
  }

  pushSubscriptionsOf(address: Address): PushSubscriptionRow[] {
    return this.sql("SELECT id, address, endpoint, p256dh, auth FROM push_subscriptions WHERE address = ?").all(
      address.toLowerCase(),
    ) as PushSubscriptionRow[];
  }

  /** Removes the subscriptions of `endpoint` (only `address`'s when given) and cancels their pending pushes. */
  removePushEndpoint(endpoint: string, address?: Address): number {
    const rows = this.sql("SELECT id, address FROM push_subscriptions WHERE endpoint = ?").all(endpoint) as {
      id: number;
      address: string;
    }[];
    let removed = 0;
    for (const row of rows) {
      if (address && row.address !== address.toLowerCase()) continue;
      this.removePushSubscription(row.id);
      removed++;
    }
    return removed;
  }

  removePushSubscription(id: number): void {
    this.sql("DELETE FROM push_subscriptions WHERE id = ?").run(id);
    this.sql(
      "UPDATE deliveries SET status = 'cancelled' WHERE target = ? AND kind = 'push' AND status = 'pending'",
    ).run(`push:${id}`);
  }

  /** Queues a push; a notice already queued for the subscription is not queued again, unless a reorganisation had
   *  cancelled it before it went out. */
  addPushDelivery(d: Omit<NewDelivery, "kind">, now: number): void {
    this.sql(
      `INSERT INTO deliveries (notification_id, event_id, kind, target, url, body, status, next_at, created_at)
       VALUES (?, ?, 'push', ?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (notification_id, target) WHERE kind = 'push' DO UPDATE SET status = 'pending', attempts = 0,
         event_id = excluded.event_id, body = excluded.body, next_at = excluded.next_at
       WHERE deliveries.status = 'cancelled'`,
    ).run(d.notificationId, d.eventId, d.target, d.url, d.body, now, now);
  }

  /** Marks a push that must not be sent (again): its subscription is gone. */
  cancelDelivery(id: number): void {
    this.sql("UPDATE deliveries SET status = 'cancelled' WHERE id = ? AND status IN ('pending', 'sent')").run(id);
  }

  /** Marks a pending push sent before its request goes out (at most once); false when it is not pending any more. */
  claimPush(id: number, attempts: number, now: number): boolean {
    const result = this.sql(
      "UPDATE deliveries SET status = 'sent', attempts = ?, sent_at = ? WHERE id = ? AND status = 'pending' AND kind = 'push'",
    ).run(attempts, now, id);
    return Number(result.changes) > 0;
  }

  /** A claimed push that failed: pending again at `nextAt`, or a dead letter when `nextAt` is undefined. */
  releasePush(id: number, error: string, nextAt: number | undefined): boolean {
    const result = this.sql(
      `UPDATE deliveries SET status = ?, last_error = ?, next_at = ?, sent_at = NULL
       WHERE id = ? AND status = 'sent' AND kind = 'push'`,
    ).run(nextAt === undefined ? "dead" : "pending", error, nextAt ?? 0, id);
    return Number(result.changes) > 0;
  }

  /** Remembers a nonce handed out; forgets those over an hour old (past `useNonce`'s age limit they are refused as
   *  unknown whether remembered or not, so forgetting them never lets a message be replayed). */
  issueNonce(nonce: string, now: number): void {
    this.sql("DELETE FROM push_nonces WHERE issued_at < ?").run(now - 3600_000);
    this.sql("INSERT INTO push_nonces (nonce, issued_at) VALUES (?, ?)").run(nonce, now);
  }

  /** Spends a nonce: "unknown" when this notifier did not issue it within `maxAgeMs`, "used" when spent before. */
  useNonce(nonce: string, now: number, maxAgeMs: number): "ok" | "unknown" | "used" {
    const row = this.sql("SELECT issued_at, used_at FROM push_nonces WHERE nonce = ?").get(nonce) as
      { issued_at: number; used_at: number | null } | undefined;
    if (!row || row.issued_at < now - maxAgeMs) return "unknown";
    const result = this.sql("UPDATE push_nonces SET used_at = ? WHERE nonce = ? AND used_at IS NULL").run(now, nonce);
    return Number(result.changes) > 0 ? "ok" : "used";
  }

  /** Who booked `bookingId`, from its live `Booked` event. */
  bookingCustomer(bookingId: bigint): Address | undefined {
    const row = this.sql(
      "SELECT customer FROM events WHERE name = 'Booked' AND booking_id = ? AND status = 'live' LIMIT 1",
    ).get(bookingId.toString()) as { customer: Address } | undefined;
    return row?.customer;
  }

  /** Whether the booking can no longer be cancelled: settled, checked in or disputed (live events only). */
  bookingClosed(bookingId: bigint): boolean {
    return (
      this.sql(
        `SELECT 1 FROM events WHERE booking_id = ? AND status = 'live' AND name IN ('Settled', 'CheckedIn', 'Disputed')
         LIMIT 1`,
      ).get(bookingId.toString()) !== undefined
    );
  }

  /** Remembers a reminder; a booking has at most one, ever (a reminder sent stays sent). */
  putReminder(r: PushReminderRow): void {
    this.sql(
      `INSERT OR IGNORE INTO push_reminders (booking_id, event_id, customer, offering_id, notify_at, ends_at,
         refund_bps_after, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
    ).run(
      r.bookingId.toString(),
      r.eventId,
      r.customer.toLowerCase(),
      r.offeringId,
      r.notifyAt,
      r.endsAt,
      r.refundBpsAfter,
    );
  }

  hasPendingReminders(): boolean {
    return this.sql("SELECT 1 FROM push_reminders WHERE status = 'pending' LIMIT 1").get() !== undefined;
  }

  /** Pending reminders due by `time` (chain seconds). */
  dueReminders(time: number): PushReminderRow[] {
    const rows = this.sql(
      `SELECT booking_id, event_id, customer, offering_id, notify_at, ends_at, refund_bps_after FROM push_reminders
       WHERE status = 'pending' AND notify_at <= ? ORDER BY notify_at`,
    ).all(time) as {
      booking_id: string;
      event_id: string;
      customer: Address;
      offering_id: number;
      notify_at: number;
      ends_at: number;
      refund_bps_after: number;
    }[];
    return rows.map((r) => ({
      bookingId: BigInt(r.booking_id),
      eventId: r.event_id,
      customer: r.customer,
      offeringId: r.offering_id,
      notifyAt: r.notify_at,
      endsAt: r.ends_at,
      refundBpsAfter: r.refund_bps_after,
    }));
  }

  setReminderStatus(bookingId: bigint, status: "sent" | "skipped"): void {
    this.sql("UPDATE push_reminders SET status = ? WHERE booking_id = ?").run(status, bookingId.toString());
  }
  // --- Loyalty -----------------------------------------------------------------------------------------------------

  /** A customer's fulfilled visits of an offering up to and including the event at (`blockNumber`, `logIndex`):
   *  live `Settled` events with outcome `fulfilled` of bookings whose live `Booked` event names the customer. */
  fulfilledVisits(
    offeringId: number,
    customer: Address,
    fulfilled: number,
    upTo: { blockNumber: bigint; logIndex: number },
  ): number {
    const row = this.sql(
      `SELECT count(*) AS n FROM events s JOIN events b ON b.booking_id = s.booking_id AND b.name = 'Booked'
         AND b.status = 'live'
       WHERE s.name = 'Settled' AND s.status = 'live' AND s.offering_id = ? AND b.customer = ?
         AND json_extract(s.args, '$.outcome') = ?
         AND (s.block_number < ? OR (s.block_number = ? AND s.log_index <= ?))`,
    ).get(
      offeringId,
      customer.toLowerCase(),
      fulfilled,
      Number(upTo.blockNumber),
      Number(upTo.blockNumber),
      upTo.logIndex,
    ) as { n: number };
    return row.n;
  }

  /** Records a reward (unsigned); false when this offering, customer and reward number already have one. */
  putReward(r: Omit<LoyaltyRewardRow, "signature">): boolean {
    const result = this.sql(
      `INSERT OR IGNORE INTO loyalty_rewards (${REWARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
    ).run(
      r.escrow.toLowerCase(),
      r.offeringId,
      r.customer.toLowerCase(),
      r.rewardNumber,
      r.merchant.toLowerCase(),
      r.token.toLowerCase(),
      r.discountBps,
      r.bookingId.toString(),
      r.eventId,
      JSON.stringify(r.coupon),
      r.createdAt,
    );
    return Number(result.changes) > 0;
  }

  /** The reward of this offering, customer and reward number, if issued. */
  reward(escrow: Address, offeringId: number, customer: Address, rewardNumber: number): LoyaltyRewardRow | undefined {
    const row = this.sql(
      `SELECT ${REWARD_COLUMNS} FROM loyalty_rewards WHERE escrow = ? AND offering_id = ? AND customer = ?
         AND reward_number = ?`,
    ).get(escrow.toLowerCase(), offeringId, customer.toLowerCase(), rewardNumber) as LoyaltyRewardDbRow | undefined;
    return row && rewardRow(row);
  }

  /** Rewards decided but not signed yet (a crash came in between, or the commit just made them). */
  unsignedRewards(): LoyaltyRewardRow[] {
    const rows = this.sql(
      `SELECT ${REWARD_COLUMNS} FROM loyalty_rewards WHERE signature IS NULL ORDER BY created_at`,
    ).all() as LoyaltyRewardDbRow[];
    return rows.map(rewardRow);
  }

  /** Stores a reward's signature; false when it had one already. */
  signReward(r: LoyaltyRewardRow, signature: Hex): boolean {
    const result = this.sql(
      `UPDATE loyalty_rewards SET signature = ? WHERE escrow = ? AND offering_id = ? AND customer = ?
         AND reward_number = ? AND signature IS NULL`,
    ).run(signature, r.escrow.toLowerCase(), r.offeringId, r.customer.toLowerCase(), r.rewardNumber);
    return Number(result.changes) > 0;
  }

  /** A customer's signed rewards, oldest first. */
  rewardsOf(escrow: Address, customer: Address): LoyaltyRewardRow[] {
    const rows = this.sql(
      `SELECT ${REWARD_COLUMNS} FROM loyalty_rewards WHERE escrow = ? AND customer = ? AND signature IS NOT NULL
       ORDER BY offering_id, reward_number`,
    ).all(escrow.toLowerCase(), customer.toLowerCase()) as LoyaltyRewardDbRow[];
    return rows.map(rewardRow);
  }
}
