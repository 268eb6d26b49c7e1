// The relayer's state in one SQLite file (node:sqlite, nothing to install): the nonces it has taken on, each
// submission with its signed transaction (written BEFORE it is broadcast, so a crash after the broadcast loses
// nothing: at start pending submissions are checked and sent again), and the budget spent per merchant per UTC day.
// A submission and its budget reservation are one statement apart inside one transaction, so concurrent requests
// cannot overspend a budget, and a finished submission moves its actual cost into the day's spending atomically.
import { DatabaseMismatchError, SqliteStore } from "@earnest/service-kit";
import type { Address, Hex } from "viem";

export type SubmissionStatus = "pending" | "done" | "failed";

export type Submission = {
  /** The intent's EIP-712 digest: one per signed booking. */
  id: Hex;
  customer: Address;
  nonce: Hex;
  merchant: Address;
  offeringId: number;
  /** The UTC day (YYYY-MM-DD) whose budget pays for it. */
  day: string;
  txNonce: number;
  txHash: Hex;
  rawTx: Hex;
  /** Held against the budget until the receipt: gas limit × max fee per gas, or the gas limit. */
  reserved: bigint;
  status: SubmissionStatus;
  bookingId: bigint | null;
  blockNumber: bigint | null;
  error: string | null;
  /** The intent as JSON, for finding a booking someone else submitted. */
  intent: string;
};

export type NewSubmission = Omit<Submission, "status" | "bookingId" | "blockNumber" | "error">;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS nonces (
  customer TEXT NOT NULL,
  nonce TEXT NOT NULL,
  intent_digest TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (customer, nonce)
);
CREATE TABLE IF NOT EXISTS submissions (
  id TEXT PRIMARY KEY,
  customer TEXT NOT NULL,
  nonce TEXT NOT NULL,
  merchant TEXT NOT NULL,
  offering_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  tx_nonce INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  raw_tx TEXT NOT NULL,
  reserved TEXT NOT NULL,
  status TEXT NOT NULL, -- pending | done | failed
  booking_id TEXT,
  block_number TEXT,
  spent TEXT,
  error TEXT,
  intent TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status, merchant, day);
CREATE TABLE IF NOT EXISTS budget (
  merchant TEXT NOT NULL,
  day TEXT NOT NULL,
  spent TEXT NOT NULL,
  PRIMARY KEY (merchant, day)
);
`;

type Row = Record<string, string | number | null>;

function toSubmission(row: Row): Submission {
  return {
    id: row.id as Hex,
    customer: row.customer as Address,
    nonce: row.nonce as Hex,
    merchant: row.merchant as Address,
    offeringId: Number(row.offering_id),
    day: row.day as string,
    txNonce: Number(row.tx_nonce),
    txHash: row.tx_hash as Hex,
    rawTx: row.raw_tx as Hex,
    reserved: BigInt(row.reserved as string),
    status: row.status as SubmissionStatus,
    bookingId: row.booking_id === null ? null : BigInt(row.booking_id),
    blockNumber: row.block_number === null ? null : BigInt(row.block_number),
    error: row.error as string | null,
    intent: row.intent as string,
  };
}

/** The UTC day of `ms` as YYYY-MM-DD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class Store extends SqliteStore {
  constructor(path: string) {
    // WAL with synchronous=NORMAL: a submission is in the file before its transaction is broadcast. Only a power cut
    // could lose the last commits (NORMAL skips the fsync per commit, which would cost more than the broadcast); a
    // booking whose submission was lost so is still answered, from its Booked event on chain.
    super(path, SCHEMA);
  }

  /** Ties the file to one chain, escrow and relayer account; refuses a file made for another. */
  bind(identity: { chainId: number; escrow: Address; relayer: Address }): void {
    for (const [key, value] of Object.entries(identity)) {
      const stored = this.meta(key);
      if (stored === undefined) {
        this.setMeta(key, String(value));
      } else if (stored.toLowerCase() !== String(value).toLowerCase()) {
        throw new DatabaseMismatchError(
          `The database was made for ${key} ${stored}, not ${String(value)}: use another --db file.`,
        );
      }
    }
  }

  /** The live (pending or done) submission that took this customer's nonce, if any. */
  submissionByNonce(customer: Address, nonce: Hex): Submission | undefined {
    const row = this.sql(
      "SELECT * FROM submissions WHERE customer = ? AND nonce = ? AND status != 'failed' ORDER BY created_at DESC LIMIT 1",
    ).get(customer, nonce) as Row | undefined;
    return row && toSubmission(row);
  }

  submission(id: Hex): Submission | undefined {
    const row = this.sql("SELECT * FROM submissions WHERE id = ?").get(id) as Row | undefined;
    return row && toSubmission(row);
  }

  /** Whether the relayer has taken on this customer's nonce (for a submission not failed). */
  nonceSeen(customer: Address, nonce: Hex): Hex | undefined {
    const row = this.sql("SELECT intent_digest FROM nonces WHERE customer = ? AND nonce = ?").get(customer, nonce) as
      { intent_digest: Hex } | undefined;
    return row?.intent_digest;
  }

  pending(): Submission[] {
    return (this.sql("SELECT * FROM submissions WHERE status = 'pending' ORDER BY tx_nonce").all() as Row[]).map(
      toSubmission,
    );
  }

  /** The highest transaction nonce of a pending submission, or -1. */
  highestPendingTxNonce(): number {
    const row = this.sql("SELECT MAX(tx_nonce) AS n FROM submissions WHERE status = 'pending'").get() as {
      n: number | null;
    };
    return row.n ?? -1;
  }

  /** Spent (receipts in) and reserved (submissions pending) against a merchant's budget for `day`. */
  budgetUse(merchant: Address, day: string): { spent: bigint; reserved: bigint } {
    const spent = this.sql("SELECT spent FROM budget WHERE merchant = ? AND day = ?").get(merchant, day) as
      { spent: string } | undefined;
    const reservations = this.sql(
      "SELECT reserved FROM submissions WHERE status = 'pending' AND merchant = ? AND day = ?",
    ).all(merchant, day) as { reserved: string }[];
    return {
      spent: BigInt(spent?.spent ?? "0"),
      reserved: reservations.reduce((sum, r) => sum + BigInt(r.reserved), 0n),
    };
  }

  /** Records a submission before its broadcast, holding its cost against the merchant's budget for its day: refused
   *  when the budget would be exceeded, or when the customer's nonce is taken by another live submission. */
  insertSubmission(s: NewSubmission, budget: bigint, now: number): "ok" | "budget" | "nonce" {
    return this.transaction(() => {
      const seen = this.nonceSeen(s.customer, s.nonce);
      if (seen !== undefined) return "nonce";
      const { spent, reserved } = this.budgetUse(s.merchant, s.day);
      if (spent + reserved + s.reserved > budget) return "budget";
      // A failed submission of the same intent leaves its row: it is replaced.
      this.sql("DELETE FROM submissions WHERE id = ? AND status = 'failed'").run(s.id);
      this.sql("INSERT INTO nonces (customer, nonce, intent_digest, seen_at) VALUES (?, ?, ?, ?)").run(
        s.customer,
        s.nonce,
        s.id,
        now,
      );
      this.sql(
        `INSERT INTO submissions (id, customer, nonce, merchant, offering_id, day, tx_nonce, tx_hash, raw_tx, reserved,
           status, intent, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      ).run(
        s.id,
        s.customer,
        s.nonce,
        s.merchant,
        s.offeringId,
        s.day,
        s.txNonce,
        s.txHash,
        s.rawTx,
        s.reserved.toString(),
        s.intent,
        now,
        now,
      );
      return "ok";
    });
  }

  /** The receipt is in: the booking, and the actual cost moved from the reservation into the day's spending. */
  finish(id: Hex, result: { bookingId: bigint; blockNumber: bigint; spent: bigint }, now: number): void {
    this.transaction(() => {
      const s = this.submission(id);
      if (!s || s.status !== "pending") return;
      this.sql(
        "UPDATE submissions SET status = 'done', booking_id = ?, block_number = ?, spent = ?, updated_at = ? WHERE id = ?",
      ).run(result.bookingId.toString(), result.blockNumber.toString(), result.spent.toString(), now, id);
      this.addSpent(s.merchant, s.day, result.spent);
    });
  }

  /** The submission will not book: its nonce is free again. Gas already spent (a reverted transaction) is counted. */
  fail(id: Hex, error: string, spent: bigint, now: number): void {
    this.transaction(() => {
      const s = this.submission(id);
      if (!s || s.status !== "pending") return;
      this.sql("UPDATE submissions SET status = 'failed', error = ?, spent = ?, updated_at = ? WHERE id = ?").run(
        error,
        spent.toString(),
        now,
        id,
      );
      this.sql("DELETE FROM nonces WHERE customer = ? AND nonce = ? AND intent_digest = ?").run(
        s.customer,
        s.nonce,
        id,
      );
      if (spent > 0n) this.addSpent(s.merchant, s.day, spent);
    });
  }

  private addSpent(merchant: Address, day: string, amount: bigint): void {
    const { spent } = this.budgetUse(merchant, day);
    this.sql(
      "INSERT INTO budget (merchant, day, spent) VALUES (?, ?, ?) ON CONFLICT (merchant, day) DO UPDATE SET spent = excluded.spent",
    ).run(merchant, day, (spent + amount).toString());
  }

  counts(): { pending: number; done: number; failed: number } {
    const rows = this.sql("SELECT status, COUNT(*) AS n FROM submissions GROUP BY status").all() as {
      status: SubmissionStatus;
      n: number;
    }[];
    const counts = { pending: 0, done: 0, failed: 0 };
    for (const { status, n } of rows) counts[status] = n;
    return counts;
  }
}
