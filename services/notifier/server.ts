// GET /healthz and GET /metrics (Prometheus text format, see metrics.ts) on a local port, and the routes `extra`
// answers (Web Push's /push/*, push-http.ts; loyalty rewards' /loyalty/*, loyalty.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listen } from "@earnest/service-kit";
import type { Status } from "./metrics.js";

export type { Status };

export async function startServer(
  host: string,
  port: number,
  status: () => Status,
  metrics: () => string,
  extra?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (extra?.(req, res, path)) return;
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
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(metrics());
    } else {
      res.writeHead(404).end();
    }
  });
  await listen(server, host, port, extra ? "/healthz, /metrics, /push and /loyalty" : "/healthz and /metrics");
  return server;
}
