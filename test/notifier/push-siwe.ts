// Subscribing to a customer's notices takes that customer's Sign-In with Ethereum message: a valid one is taken
// once; another key's signature, an expired message, a replayed one, another dApp's, another chain's, or a nonce
// the notifier never issued are refused with their codes (and JSON, never a stack trace).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Address } from "viem";
import { Earnest, freePort, NotifierProcess, notifierArgs, startChain, tempDir, type Chain } from "./helpers.js";
import {
  APP_ORIGIN,
  pushApi,
  PushService,
  signedSiwe,
  Subscriber,
  vapidKeys,
  withPush,
  type SiweFields,
} from "./push-helpers.js";

describe("notifier: push subscriptions (SIWE)", () => {
  let chain: Chain;
  let service: PushService;
  let notifier: NotifierProcess;
  let base: string;
  let chainId: number;
  let tmp: ReturnType<typeof tempDir>;
  const keys = vapidKeys();

  before(async () => {
    tmp = tempDir();
    chain = await startChain();
    const escrow = await Earnest.deploy(chain);
    chainId = await chain.client.getChainId();
    service = await PushService.start();
    const port = await freePort();
    const args = notifierArgs({ chain, escrow, dir: tmp.dir, port, merchants: {} });
    notifier = new NotifierProcess(
      withPush(args, { ...keys, origins: [APP_ORIGIN], allowHttpEndpoints: true, subject: "mailto:ops@app.test" }),
    );
    await notifier.ready();
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await notifier?.kill();
    await service?.stop();
    await chain?.stop();
    tmp?.remove();
  });

  /** Signs a message by `signer` for `customer` with a fresh nonce (unless given) and posts it. */
  async function subscribe(customer: Address, signer: Address, fields: SiweFields = {}, subscriber?: Subscriber) {
    const sub = subscriber ?? new Subscriber(service);
    const nonce = fields.nonce ?? String((await pushApi(base, "/push/nonce")).json.nonce);
    const signed = await signedSiwe(chain.url, signer, {
      chainId,
      ...fields,
      address: customer,
      nonce,
      endpoint: sub.endpoint,
    });
    const answer = await pushApi(base, "/push/subscribe", { ...signed, subscription: sub.json() });
    return { ...answer, signed, sub };
  }

  function assertRefused(answer: { status: number; json: Record<string, unknown> }, status: number, code: string) {
    assert.equal(answer.status, status, JSON.stringify(answer.json));
    const error = answer.json.error as { code: string; message: string };
    assert.equal(error.code, code);
    assert.ok(error.message.length > 0 && !error.message.includes("    at "), "a message, no stack trace");
  }

  it("serves the VAPID public key and answers the dApp's origin (CORS)", async () => {
    const key = await pushApi(base, "/push/key");
    assert.equal(key.status, 200);
    assert.equal(key.json.publicKey, keys.vapidPublicKey);
    assert.equal(key.headers.get("access-control-allow-origin"), APP_ORIGIN);
    const preflight = await fetch(`${base}/push/subscribe`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.test", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), null, "another origin gets no CORS grant");
  });

  it("accepts the customer's own signed message, once", async () => {
    const customer = chain.accounts[5];
    const first = await subscribe(customer, customer);
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal((first.json.address as string).toLowerCase(), customer.toLowerCase());
    const replay = await pushApi(base, "/push/subscribe", { ...first.signed, subscription: first.sub.json() });
    assertRefused(replay, 409, "nonce_used");
  });

  it("refuses a message for one address signed by another key", async () => {
    assertRefused(await subscribe(chain.accounts[5], chain.accounts[6]), 401, "bad_signature");
  });

  it("refuses an expired message, and one issued too long ago", async () => {
    const customer = chain.accounts[5];
    const expired = await subscribe(customer, customer, {
      issuedAt: new Date(Date.now() - 120_000),
      expirationTime: new Date(Date.now() - 60_000),
    });
    assertRefused(expired, 401, "expired");
    const stale = await subscribe(customer, customer, {
      issuedAt: new Date(Date.now() - 3600_000),
      expirationTime: new Date(Date.now() + 3600_000),
    });
    assertRefused(stale, 401, "expired");
  });

  it("refuses another dApp's message, another chain's, and a nonce it never issued", async () => {
    const customer = chain.accounts[5];
    assertRefused(await subscribe(customer, customer, { domain: "evil.test" }), 403, "wrong_domain");
    assertRefused(await subscribe(customer, customer, { uri: "https://evil.test/" }), 403, "wrong_domain");
    assertRefused(await subscribe(customer, customer, { chainId: chainId + 1 }), 403, "wrong_chain");
    assertRefused(await subscribe(customer, customer, { nonce: "abcdefgh12345678" }), 401, "unknown_nonce");
  });

  it("refuses a message that names another subscription, and a malformed request", async () => {
    const customer = chain.accounts[5];
    const nonce = String((await pushApi(base, "/push/nonce")).json.nonce);
    const signed = await signedSiwe(chain.url, customer, {
      chainId,
      address: customer,
      nonce,
      endpoint: new Subscriber(service).endpoint,
    });
    const other = new Subscriber(service);
    assertRefused(
      await pushApi(base, "/push/subscribe", { ...signed, subscription: other.json() }),
      400,
      "wrong_subscription",
    );
    assertRefused(
      await pushApi(base, "/push/subscribe", { message: "hello", signature: "0x00" }),
      400,
      "invalid_subscription",
    );
    assertRefused(
      await pushApi(base, "/push/subscribe", { message: "hello", signature: "0x00", subscription: other.json() }),
      400,
      "invalid_message",
    );
    const response = await fetch(`${base}/push/subscribe`, { method: "POST", body: "{not json" });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "invalid_request");
  });

  it("unsubscribes by endpoint", async () => {
    const customer = chain.accounts[7];
    const { status, sub } = await subscribe(customer, customer);
    assert.equal(status, 201);
    const removed = await pushApi(base, "/push/unsubscribe", { endpoint: sub.endpoint, address: customer });
    assert.equal(removed.status, 200);
    assert.equal(removed.json.removed, 1);
    assertRefused(await pushApi(base, "/push/unsubscribe", { endpoint: sub.endpoint }), 404, "not_found");
  });
});
