// Prometheus text format: requests by outcome, submissions, gas, each merchant's budget left today, and the
// latency of POST /bookings as a histogram.
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Histogram {
  readonly counts = LATENCY_BUCKETS.map(() => 0);
  count = 0;
  sum = 0;

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.counts[i]++;
    });
  }
}

export type MetricsSnapshot = {
  up: boolean;
  requests: Map<string, number>;
  latency: Histogram;
  submitted: number;
  pending: number;
  gasUsed: bigint;
  weiSpent: bigint;
  balanceWei: bigint | undefined;
  budgetUnit: string;
  budgets: { merchant: string; budget: bigint; spent: bigint; reserved: bigint }[];
};

function metric(name: string, help: string, type: string, samples: [string, number | bigint | string][]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${samples.map(([labels, v]) => `${name}${labels} ${v}\n`).join("")}`;
}

export function renderMetrics(s: MetricsSnapshot): string {
  const p = "earnest_relayer_";
  const unit = `unit="${s.budgetUnit}"`;
  const buckets = s.latency.counts.map((n, i): [string, number] => [`_bucket{le="${LATENCY_BUCKETS[i]}"}`, n]);
  return [
    metric(`${p}up`, "1 when the RPC answers", "gauge", [["", s.up ? 1 : 0]]),
    metric(
      `${p}requests_total`,
      "POST /bookings by outcome (booked, or the refusal code)",
      "counter",
      [...s.requests].map(([outcome, n]) => [`{outcome="${outcome}"}`, n]),
    ),
    metric(`${p}submitted_total`, "Transactions broadcast since start", "counter", [["", s.submitted]]),
    metric(`${p}pending_transactions`, "Transactions waiting for a receipt", "gauge", [["", s.pending]]),
    metric(`${p}gas_used_total`, "Gas used by receipts since start", "counter", [["", s.gasUsed]]),
    metric(`${p}gas_spent_wei_total`, "Wei paid for gas since start", "counter", [["", s.weiSpent]]),
    metric(`${p}balance_wei`, "The relayer account's balance", "gauge", [["", s.balanceWei ?? -1]]),
    metric(
      `${p}budget_left`,
      "Each merchant's budget left today (UTC), in the budget's unit",
      "gauge",
      s.budgets.map((b) => {
        const left = b.budget - b.spent - b.reserved;
        return [`{merchant="${b.merchant}",${unit}}`, left > 0n ? left : 0n];
      }),
    ),
    metric(
      `${p}budget_spent`,
      "Each merchant's budget spent today (UTC), in the budget's unit",
      "gauge",
      s.budgets.map((b) => [`{merchant="${b.merchant}",${unit}}`, b.spent]),
    ),
    metric(`${p}request_duration_seconds`, "POST /bookings from request to answer", "histogram", [
      ...buckets,
      [`_bucket{le="+Inf"}`, s.latency.count],
      ["_sum", s.latency.sum],
      ["_count", s.latency.count],
    ]),
  ].join("");
}
