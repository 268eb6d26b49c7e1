// Webhook signatures: HMAC-SHA256 over `${timestamp}.${body}`, sent as `Earnest-Signature: t=<unix s>,v1=<hex>`.
// The timestamp is inside the MAC so that a captured request cannot be replayed later with a fresh header.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "earnest-signature";
export const ID_HEADER = "earnest-id";
/** How far a receiver should accept the timestamp from its own clock, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/** True when `header` is a valid signature of `body` with `secret`, made within `toleranceSeconds` of `now`. */
export function verify(
  secret: string,
  header: string | undefined,
  body: string,
  now = Math.floor(Date.now() / 1000),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const parts = new Map((header ?? "").split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(now - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}
