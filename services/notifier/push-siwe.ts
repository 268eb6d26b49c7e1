// Who may subscribe a browser to a customer's notices: only the customer, proven by a Sign-In with Ethereum
// (EIP-4361) message they signed. viem/siwe parses and verifies it (ERC-1271 and ERC-6492 accounts through the
// notifier's RPC); each rule that fails has its own code, so the dApp can say what went wrong.
import { getAddress, isHex, type Address, type PublicClient } from "viem";
import { parseSiweMessage, validateSiweMessage, verifySiweMessage } from "viem/siwe";
import type { Store } from "./store.js";

/** A refused request: `code` names the rule, `status` is the HTTP status it is answered with. */
export class PushRequestError extends Error {
  override name = "PushRequestError";
  constructor(
    readonly code: PushErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type PushErrorCode =
  | "invalid_request"
  | "invalid_message"
  | "wrong_domain"
  | "wrong_chain"
  | "wrong_subscription"
  | "expired"
  | "not_yet_valid"
  | "unknown_nonce"
  | "nonce_used"
  | "bad_signature"
  | "invalid_subscription"
  | "not_found"
  | "too_large"
  | "unavailable";

/** How long a nonce, and a message from its `issuedAt`, stays good. */
export const SIWE_MAX_AGE_MS = 10 * 60_000;
/** How far ahead of this clock a wallet's `issuedAt` may be. */
const CLOCK_SKEW_MS = 60_000;

export type SiweOptions = {
  store: Store;
  client: PublicClient;
  chainId: number;
  /** The dApp origins (scheme://host[:port]); the message's domain and uri must be one of them. */
  origins: readonly string[];
  now?: () => number;
};

/** Checks that `message`, signed by `signature`, is a fresh SIWE message for this notifier's dApp and chain, issued
 *  with a nonce of ours never used before, naming `endpoint` in its resources; returns the signer's address. The
 *  nonce is spent only when everything else holds. */
export async function checkSiwe(
  o: SiweOptions,
  input: { message: unknown; signature: unknown },
  endpoint: string,
): Promise<Address> {
  const { message, signature } = input;
  if (typeof message !== "string" || typeof signature !== "string" || !isHex(signature)) {
    throw new PushRequestError("invalid_request", 400, "message (text) and signature (hex) are needed.");
  }
  const parsed = parseSiweMessage(message);
  if (!parsed.address || !parsed.domain || !parsed.uri || !parsed.nonce || !parsed.issuedAt || !parsed.chainId) {
    throw new PushRequestError("invalid_message", 400, "Not a Sign-In with Ethereum message.");
  }
  const origin = o.origins.find((item) => new URL(item).host === parsed.domain);
  let uriOrigin: string | undefined;
  try {
    uriOrigin = new URL(parsed.uri).origin;
  } catch {
    uriOrigin = undefined;
  }
  if (!origin || uriOrigin !== origin) {
    throw new PushRequestError("wrong_domain", 403, `The message is for ${parsed.domain}, not this dApp.`);
  }
  if (parsed.chainId !== o.chainId) {
    throw new PushRequestError("wrong_chain", 403, `The message is for chain ${parsed.chainId}, not ${o.chainId}.`);
  }
  if (!parsed.resources?.includes(endpoint)) {
    throw new PushRequestError("wrong_subscription", 400, "The message does not name this subscription's endpoint.");
  }
  const now = o.now?.() ?? Date.now();
  const time = new Date(now);
  const issuedAt = parsed.issuedAt.getTime();
  if (
    Number.isNaN(issuedAt) ||
    issuedAt < now - SIWE_MAX_AGE_MS ||
    (parsed.expirationTime && !(parsed.expirationTime.getTime() > now))
  ) {
    throw new PushRequestError("expired", 401, "The message has expired: sign a new one.");
  }
  if (issuedAt > now + CLOCK_SKEW_MS || (parsed.notBefore && !(parsed.notBefore.getTime() <= now))) {
    throw new PushRequestError("not_yet_valid", 401, "The message is not valid yet: check the device's clock.");
  }
  if (!validateSiweMessage({ message: parsed, domain: parsed.domain, time })) {
    throw new PushRequestError("invalid_message", 400, "Not a valid Sign-In with Ethereum message.");
  }
  let verified: boolean;
  try {
    verified = await verifySiweMessage(o.client, {
      message,
      signature: signature,
      domain: parsed.domain,
      nonce: parsed.nonce,
      time,
    });
  } catch {
    throw new PushRequestError("unavailable", 503, "The signature cannot be checked right now: try again.");
  }
  if (!verified) {
    throw new PushRequestError("bad_signature", 401, `The signature is not ${getAddress(parsed.address)}'s.`);
  }
  const spent = o.store.useNonce(parsed.nonce, now, SIWE_MAX_AGE_MS);
  if (spent === "unknown") {
    throw new PushRequestError("unknown_nonce", 401, "The nonce was not issued by this notifier, or is too old.");
  }
  if (spent === "used") throw new PushRequestError("nonce_used", 409, "This message was used already.");
  return getAddress(parsed.address);
}
