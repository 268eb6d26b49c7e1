// GET /healthz and GET /metrics (Prometheus text format) on a local port.
import { createServer, type Server } from "node:http";
import { listen } from "@earnest/service-kit";

export type Status = {
  healthy: boolean;
  head: bigint | undefined;
  processed: bigint | undefined;
  confirmations: number;
  pending: number;
  sent: number;
  dead: number;
  failedAttempts: number;
  inFlight: number;
  reorgs: number;
  alerts: number;
  lastError: string | undefined;
};

function metrics(s: Status): string {
  const behind = s.head !== undefined && s.processed !== undefined ? Number(s.head - s.processed) : -1;
  const lines: [string, string, "gauge" | "counter", number][] = [
    ["earnest_notifier_blocks_behind", "Blocks between the chain head and the last block processed", "gauge", behind],
    ["earnest_notifier_head_block", "Latest block number seen", "gauge", Number(s.head ?? -1n)],
    ["earnest_notifier_processed_block", "Last block processed (confirmed)", "gauge", Number(s.processed ?? -1n)],
    ["earnest_notifier_confirmations", "Confirmation depth", "gauge", s.confirmations],
    ["earnest_notifier_deliveries_pending", "Deliveries waiting to be sent or retried", "gauge", s.pending],
    ["earnest_notifier_deliveries_in_flight", "Requests being sent now", "gauge", s.inFlight],
    ["earnest_notifier_deliveries_sent_total", "Deliveries a receiver accepted", "counter", s.sent],
    ["earnest_notifier_deliveries_failed_total", "Deliveries given up (dead letters)", "counter", s.dead],
    ["earnest_notifier_delivery_attempts_failed_total", "Failed attempts since start", "counter", s.failedAttempts],
    ["earnest_notifier_reorgs_total", "Reorganisations handled since start", "counter", s.reorgs],
    ["earnest_notifier_alerts_total", "Risk alerts raised since start", "counter", s.alerts],
    ["earnest_notifier_up", "1 when following the chain", "gauge", s.healthy ? 1 : 0],
  ];
  return lines
    .map(([name, help, type, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`)
    .join("");
}

export async function startServer(host: string, port: number, status: () => Status): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405).end();
    } else if (path === "/healthz") {
      const s = status();
      const body = JSON.stringify({
        ok: s.healthy,
        head: s.head?.toString() ?? null,
        processed: s.processed?.toString() ?? null,
        pending: s.pending,
        lastError: s.lastError ?? null,
      });
      res.writeHead(s.healthy ? 200 : 503, { "content-type": "application/json" }).end(body);
    } else if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics(status()));
    } else {
      res.writeHead(404).end();
    }
  });
  await listen(server, host, port, "/healthz and /metrics");
  return server;
}
