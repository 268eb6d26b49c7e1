// GET /metrics in the Prometheus text format. The counters and the latency histogram are kept in the store (table
// `counters`), bumped in the transaction that changes what they count, so they only ever grow: across restarts,
// `retry-dead-letters` and crashes. Written out by hand rather than with prom-client: its counters and histograms
// hold their own in-memory state, which cannot be loaded from stored bucket counts, and the text format is short.
// A value not known yet (the head before the first poll) is left out, never written as a placeholder.
import type { Store } from "./store.js";

/** Stored counter names. */
export const COUNTER = {
  sent: "deliveries_sent",
  attemptsFailed: "delivery_attempts_failed",
  deadLettered: "dead_lettered",
  reorgs: "reorgs",
  alerts: "alerts",
} as const;

const LATENCY = "delivery_latency";
/** Upper bounds in seconds, from a local chain with no confirmations up to a receiver down for a day. */
export const LATENCY_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];

/** Adds observations (seconds) to the stored block-to-delivery histogram; call it inside the store's transaction. */
export function observeLatencies(store: Store, seconds: number[]): void {
  if (seconds.length === 0) return;
  for (const le of LATENCY_BUCKETS) store.bump(`${LATENCY}_bucket:${le}`, seconds.filter((s) => s <= le).length);
  store.bump(`${LATENCY}_count`, seconds.length);
  store.bump(
    `${LATENCY}_sum`,
    seconds.reduce((a, b) => a + b, 0),
  );
}

export type Status = {
  healthy: boolean;
  head: bigint | undefined;
  processed: bigint | undefined;
  confirmations: number;
  pending: number;
  dead: number;
  inFlight: number;
  lastError: string | undefined;
};

type Sample = [labels: string, value: number | bigint | undefined];

function family(name: string, help: string, type: "gauge" | "counter" | "histogram", samples: Sample[]): string {
  const known = samples.filter(([, v]) => v !== undefined);
  if (known.length === 0) return "";
  const lines = known.map(([labels, v]) => `${name}${labels} ${v}\n`).join("");
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${lines}`;
}

export function renderMetrics(s: Status, counters: ReadonlyMap<string, number>): string {
  const p = "earnest_notifier_";
  const counter = (name: string) => counters.get(name) ?? 0;
  const behind = s.head !== undefined && s.processed !== undefined ? s.head - s.processed : undefined;
  const count = counter(`${LATENCY}_count`);
  return [
    family(`${p}up`, "1 when following the chain", "gauge", [["", s.healthy ? 1 : 0]]),
    family(`${p}head_block`, "Latest block number seen", "gauge", [["", s.head]]),
    family(`${p}processed_block`, "Last block processed (confirmed)", "gauge", [["", s.processed]]),
    family(`${p}blocks_behind`, "Blocks between the chain head and the last block processed", "gauge", [["", behind]]),
    family(`${p}confirmations`, "Confirmation depth", "gauge", [["", s.confirmations]]),
    family(`${p}deliveries_pending`, "Deliveries waiting to be sent or retried", "gauge", [["", s.pending]]),
    family(`${p}deliveries_in_flight`, "Requests being sent now", "gauge", [["", s.inFlight]]),
    family(`${p}dead_letters`, "Deliveries given up on and not queued again (dead letters now)", "gauge", [
      ["", s.dead],
    ]),
    family(`${p}deliveries_sent_total`, "Deliveries a receiver accepted (2xx)", "counter", [
      ["", counter(COUNTER.sent)],
    ]),
    family(`${p}delivery_attempts_failed_total`, "Delivery attempts that failed (non-2xx, error, timeout)", "counter", [
      ["", counter(COUNTER.attemptsFailed)],
    ]),
    family(
      `${p}deliveries_failed_total`,
      "Times a delivery was given up on and became a dead letter (again after retry-dead-letters)",
      "counter",
      [["", counter(COUNTER.deadLettered)]],
    ),
    family(`${p}reorgs_total`, "Reorganisations handled", "counter", [["", counter(COUNTER.reorgs)]]),
    family(`${p}alerts_total`, "Risk alerts raised", "counter", [["", counter(COUNTER.alerts)]]),
    family(
      `${p}delivery_latency_seconds`,
      "From the event's block timestamp to the receiver's 2xx (events and alerts)",
      "histogram",
      [
        ...LATENCY_BUCKETS.map((le): Sample => [`_bucket{le="${le}"}`, counter(`${LATENCY}_bucket:${le}`)]),
        [`_bucket{le="+Inf"}`, count],
        ["_sum", counter(`${LATENCY}_sum`)],
        ["_count", count],
      ],
    ),
  ].join("");
}
