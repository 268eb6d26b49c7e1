// Webhook signatures by the Standard Webhooks specification (https://www.standardwebhooks.com), signed with its
// reference library so that any receiver using a Standard Webhooks verifier accepts them: `webhook-id`,
// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the
// base64-decoded bytes of a `whsec_` secret. The id and the timestamp are inside the MAC, so neither a captured
// request replayed later nor one relabelled with another id passes.
import { createHash } from "node:crypto";
import { Webhook } from "standardwebhooks";

export const ID_HEADER = "webhook-id";
export const TIMESTAMP_HEADER = "webhook-timestamp";
export const SIGNATURE_HEADER = "webhook-signature";

/** The message id: the same bytes always get the same id (a resend after a lost answer or a crash), and any other
 *  message gets another one (a `reverted`, an event included again in another block), so that a receiver can
 *  deduplicate on `webhook-id` alone, as the specification intends. Derived from the body rather than stored, so it
 *  also survives a database rebuilt from the chain. */
export function messageId(body: string): string {
  return `msg_${createHash("sha256").update(body).digest("base64url")}`;
}

const signers = new Map<string, Webhook>();

/** The three headers of one delivery attempt of `body`, signed with `secret` (a checked `whsec_` secret). */
export function signedHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  let signer = signers.get(secret);
  if (!signer) {
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  const id = messageId(body);
  return {
    [ID_HEADER]: id,
    [TIMESTAMP_HEADER]: String(Math.floor(now.getTime() / 1000)),
    [SIGNATURE_HEADER]: signer.sign(id, now, body),
  };
}
