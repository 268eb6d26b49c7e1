// Web Push through the notifier (services/notifier, push-http.ts): the browser subscribes with the notifier's VAPID
// key, and the customer proves with a Sign-In with Ethereum message that the bookings are theirs. The service
// worker (public/sw.js) words each notice from what the page last handed it (`PushContext`), in the page's language.
import type { Address, Hex } from "viem";
import { createSiweMessage } from "viem/siwe";

/** What `POST /push/*` answered when it refused: the notifier's error code (push-siwe.ts), or `network`. */
export class PushApiError extends Error {
  override name = "PushApiError";
  constructor(readonly code: string) {
    super(`The notifier refused: ${code}.`);
  }
}

/** Whether this browser can take push notices: a service worker, the Push API and notifications. */
export function pushSupported(scope: typeof globalThis = globalThis): boolean {
  return (
    typeof scope.navigator !== "undefined" &&
    "serviceWorker" in scope.navigator &&
    "PushManager" in scope &&
    "Notification" in scope
  );
}

/** `applicationServerKey` from the base64url key the notifier serves. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function call<T>(base: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new PushApiError("network");
  }
  const json = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  if (!response.ok) throw new PushApiError(json.error?.code ?? `http_${response.status}`);
  return json as T;
}

export const fetchPushKey = (base: string) => call<{ publicKey: string }>(base, "/push/key").then((r) => r.publicKey);
export const fetchPushNonce = (base: string) => call<{ nonce: string }>(base, "/push/nonce").then((r) => r.nonce);

/** The SIWE statement. EIP-4361 allows only ASCII there, so it is one English sentence in both languages (the
 *  wallet shows it beside the dApp's domain). */
const STATEMENT = "Send notices about my bookings to this device.";

/** The message the customer signs: this dApp's origin, the chain, the notifier's nonce, and the subscription's
 *  endpoint as its one resource (so that the signature subscribes this browser and no other). Good for 5 minutes. */
export function subscribeMessage(p: {
  address: Address;
  chainId: number;
  nonce: string;
  endpoint: string;
  origin: string;
  now?: Date;
}): string {
  const now = p.now ?? new Date();
  return createSiweMessage({
    address: p.address,
    chainId: p.chainId,
    domain: new URL(p.origin).host,
    uri: p.origin,
    nonce: p.nonce,
    version: "1",
    statement: STATEMENT,
    issuedAt: now,
    expirationTime: new Date(now.getTime() + 5 * 60_000),
    resources: [p.endpoint],
  });
}

export function postSubscription(
  base: string,
  body: { message: string; signature: Hex; subscription: PushSubscriptionJSON },
): Promise<{ address: Address; endpoint: string }> {
  return call(base, "/push/subscribe", body);
}

export function postUnsubscription(base: string, endpoint: string, address: Address): Promise<{ removed: number }> {
  return call(base, "/push/unsubscribe", { endpoint, address });
}

const STORAGE_KEY = "earnest.push";

/** Which account this browser's subscription was made for (the browser knows the subscription, not the account). */
export function subscribedAccount(): Address | undefined {
  try {
    return (JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as { address?: Address } | null)?.address;
  } catch {
    return undefined;
  }
}

export function rememberSubscription(address: Address | undefined): void {
  if (address) localStorage.setItem(STORAGE_KEY, JSON.stringify({ address }));
  else localStorage.removeItem(STORAGE_KEY);
}

export type PushKind = "booked" | "freeCancellationEnding" | "refunded" | "disputeRuled" | "creditWithdrawn" | "reward";
/** Every kind the notifier sends (services/notifier/README.md, "Web Push"); "reward" is a loyalty reward, worded
 *  with {{share}} (its discount) and opening its coupon link. */
export const pushKinds: readonly PushKind[] = [
  "booked",
  "freeCancellationEnding",
  "refunded",
  "disputeRuled",
  "creditWithdrawn",
  "reward",
];

/** What the service worker words notices with: the texts in the page's language ({{name}}, {{share}} filled in by
 *  the worker), and per booking its name and the pass link to open. */
export type PushContext = {
  type: "push-context";
  locale: string;
  unnamed: string;
  texts: Record<PushKind, { title: string; body: string }>;
  /** By `<chain id>:<escrow, lower case>:<booking id>`. */
  bookings: Record<string, { name?: string; pass?: string }>;
};

export const bookingKey = (chainId: number, escrow: string, bookingId: bigint | string): string =>
  `${chainId}:${escrow.toLowerCase()}:${bookingId}`;

/** Hands the context to the active service worker, which keeps it for notices that arrive with no page open. */
export async function sendPushContext(context: PushContext): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration();
  registration?.active?.postMessage(context);
}
