// The dApp's side of Web Push, on the notifier's HTTP port:
//   GET  /push/key          the VAPID public key, for pushManager.subscribe's applicationServerKey
//   GET  /push/nonce        a fresh SIWE nonce (good once, for 10 minutes)
//   POST /push/subscribe    { message, signature, subscription }: the customer's SIWE message naming the endpoint
//   POST /push/unsubscribe  { endpoint, address? }: the endpoint alone is the proof (see README)
// Refusals are JSON `{ "error": { "code", "message" } }` with a 4xx status; CORS answers the configured origins.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAddress } from "viem";
import { generateSiweNonce } from "viem/siwe";
import { log } from "@earnest/service-kit";
import type { PushConfig } from "./push-config.js";
import { checkSubscription } from "./push.js";
import { checkSiwe, PushRequestError, type SiweOptions } from "./push-siwe.js";

const MAX_BODY_BYTES = 16 * 1024;

export type PushHttpOptions = SiweOptions & { config: PushConfig };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new PushRequestError("too_large", 413, `The body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new PushRequestError("invalid_request", 400, "The body must be a JSON object.");
}

/** Answers a request under /push/; false for any other path. */
export function handlePush(o: PushHttpOptions, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (!path.startsWith("/push/")) return false;
  const origin = req.headers.origin;
  const cors: Record<string, string> =
    origin && o.config.origins.includes(origin)
      ? { "access-control-allow-origin": origin, vary: "Origin" }
      : { vary: "Origin" };
  if (req.method === "OPTIONS") {
    res
      .writeHead(204, {
        ...cors,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "600",
      })
      .end();
    return true;
  }
  void answer(o, req, path)
    .then(({ status, body }) => send(res, status, body, cors))
    .catch((error: unknown) => {
      if (error instanceof PushRequestError) {
        send(res, error.status, { error: { code: error.code, message: error.message } }, cors);
        return;
      }
      log("error", "push request failed", { path, error: (error as Error).message });
      send(res, 500, { error: { code: "internal", message: "Something went wrong." } }, cors);
    });
  return true;
}

async function answer(
  o: PushHttpOptions,
  req: IncomingMessage,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const route = `${req.method} ${path}`;
  const now = o.now?.() ?? Date.now();
  switch (route) {
    case "GET /push/key":
      return { status: 200, body: { publicKey: o.config.vapidPublicKey } };
    case "GET /push/nonce": {
      const nonce = generateSiweNonce();
      o.store.issueNonce(nonce, now);
      return { status: 200, body: { nonce } };
    }
    case "POST /push/subscribe": {
      const body = await readJson(req);
      const sub = checkSubscription(body.subscription, o.config.allowHttpEndpoints);
      if (typeof sub === "string") throw new PushRequestError("invalid_subscription", 400, `subscription: ${sub}.`);
      const address = await checkSiwe(o, { message: body.message, signature: body.signature }, sub.endpoint);
      o.store.transaction(() => o.store.putPushSubscription(address, sub.endpoint, sub.p256dh, sub.auth, now));
      log("info", "push subscribed", { address });
      return { status: 201, body: { address, endpoint: sub.endpoint } };
    }
    case "POST /push/unsubscribe": {
      // The endpoint is a capability URL only the browser, its push service and this notifier know; removing it
      // harms nobody but its holder, so no signature (and no wallet prompt) is asked to turn notices off.
      const body = await readJson(req);
      const { endpoint, address } = body;
      if (
        typeof endpoint !== "string" ||
        (address !== undefined && (typeof address !== "string" || !isAddress(address)))
      ) {
        throw new PushRequestError("invalid_request", 400, "endpoint (text) and optionally address are needed.");
      }
      const removed = o.store.transaction(() => o.store.removePushEndpoint(endpoint, address));
      if (removed === 0) throw new PushRequestError("not_found", 404, "No subscription with this endpoint.");
      return { status: 200, body: { removed } };
    }
    default:
      throw new PushRequestError("not_found", 404, `No ${route}.`);
  }
}
