// The HTTP side: POST /bookings, GET / (info), GET /healthz, GET /metrics, CORS for the dApp (any origin unless
// configured), and a JSON refusal `{ error: { code, message, ...details } }` for everything that is not a booking.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { relayerRefusalStatus, type RelayerRefusalCode } from "@earnest/sdk";
import { listen, log } from "@earnest/service-kit";
import type { Config } from "./config.js";
import type { Relayer } from "./service.js";
import { Refusal } from "./service.js";

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

export async function startServer(config: Config, relayer: Relayer): Promise<Server> {
  const cors = {
    "access-control-allow-origin": config.corsOrigin,
    ...(config.corsOrigin === "*" ? {} : { vary: "Origin" }),
  };
  const json = (res: ServerResponse, status: number, body: unknown, close = false) => {
    res
      .writeHead(status, {
        ...cors,
        "content-type": "application/json",
        "cache-control": "no-store",
        ...(close ? { connection: "close" } : {}),
      })
      .end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, refusal: Refusal, close = false) => {
    const status = relayerRefusalStatus[refusal.code];
    const retryAfter = refusal.details.retryAfter;
    if (typeof retryAfter === "number") res.setHeader("retry-after", String(retryAfter));
    json(res, status, { error: { code: refusal.code, message: refusal.message, ...refusal.details } }, close);
  };

  async function postBooking(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let outcome: RelayerRefusalCode | "booked" | "error" = "booked";
    try {
      let text: string;
      try {
        text = await readBody(req, config.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        throw new Refusal("PayloadTooLarge", `The body is larger than ${config.maxBodyBytes} bytes.`, {
          maxBytes: config.maxBodyBytes,
        });
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Refusal("BadRequest", "The body is not JSON.", { field: "body" });
      }
      json(res, 200, await relayer.book(body, clientIp(req, config.trustProxy)));
    } catch (error) {
      if (error instanceof Refusal) {
        outcome = error.code;
        refuse(res, error, error.code === "PayloadTooLarge");
      } else {
        outcome = "error";
        log("error", "booking failed", { error: (error as Error).stack ?? String(error) });
        refuse(res, new Refusal("SubmissionFailed", "The relayer failed unexpectedly; try again."));
      }
    } finally {
      relayer.observe(outcome, (performance.now() - started) / 1000);
    }
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "OPTIONS") {
      res
        .writeHead(204, {
          ...cors,
          "access-control-allow-methods": "GET, POST, OPTIONS",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": "86400",
        })
        .end();
    } else if (req.method === "POST" && path === "/bookings") {
      void postBooking(req, res);
    } else if (req.method === "GET" && path === "/") {
      json(res, 200, relayer.info());
    } else if (req.method === "GET" && path === "/healthz") {
      const health = relayer.health();
      json(res, health.ok ? 200 : 503, health);
    } else if (req.method === "GET" && path === "/metrics") {
      res.writeHead(200, { ...cors, "content-type": "text/plain; version=0.0.4" }).end(relayer.metrics());
    } else {
      refuse(res, new Refusal("NotFound", `No ${req.method} ${path} here.`, { path }));
    }
  });
  // Requests wait for their receipt; keep the connection for the dApp's next one.
  server.keepAliveTimeout = 30_000;
  await listen(server, config.host, config.port);
  return server;
}
