// For the Web Push tests: a local push service (what Mozilla's or Google's would be), a browser's subscription
// whose private key decrypts what arrives (RFC 8291, written out here with node:crypto so that the test does not
// trust the library that encrypted it), the VAPID header checked against the notifier's public key (RFC 8292), and
// the customer's Sign-In with Ethereum message.
import assert from "node:assert/strict";
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createWalletClient, http, type Address, type Hex } from "viem";
import { createSiweMessage } from "viem/siwe";
import { freePort } from "./helpers.js";

export const APP_ORIGIN = "https://app.test";

/** A fresh VAPID pair as `npx web-push generate-vapid-keys` makes one, named as the notifier's config names it. */
export function vapidKeys(): { vapidPublicKey: string; vapidPrivateKey: string } {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    vapidPublicKey: ecdh.getPublicKey().toString("base64url"),
    vapidPrivateKey: ecdh.getPrivateKey().toString("base64url"),
  };
}

/** Adds a `push` section to the config file `notifierArgs` wrote. */
export function withPush(args: string[], push: Record<string, unknown>): string[] {
  const file = args[args.indexOf("--config") + 1];
  const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...config, push }));
  return args;
}

export type Push = { path: string; headers: IncomingHttpHeaders; body: Buffer };

/** A push service on a local port: records each POST and answers 201, or `status` for the paths listed. */
export class PushService {
  readonly received: Push[] = [];
  readonly answers = new Map<string, number>();
  private readonly server: Server;

  private constructor(readonly port: number) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "";
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.answers.get(path) ?? 201).end();
      });
    });
  }

  static async start(): Promise<PushService> {
    const service = new PushService(await freePort());
    await new Promise<void>((resolve) => service.server.listen(service.port, "127.0.0.1", resolve));
    return service;
  }

  to(path: string): Push[] {
    return this.received.filter((p) => p.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A browser's push subscription: its endpoint at the push service, and the keys only it holds. */
export class Subscriber {
  private readonly ecdh = createECDH("prime256v1");
  readonly auth = randomBytes(16);
  readonly path = `/push/${randomBytes(8).toString("hex")}`;

  constructor(readonly service: PushService) {
    this.ecdh.generateKeys();
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.service.port}${this.path}`;
  }

  /** What `PushSubscription.toJSON()` gives. */
  json(): { endpoint: string; keys: { p256dh: string; auth: string } } {
    return {
      endpoint: this.endpoint,
      keys: { p256dh: this.ecdh.getPublicKey().toString("base64url"), auth: this.auth.toString("base64url") },
    };
  }

  /** Decrypts an aes128gcm body (RFC 8188 framing, RFC 8291 keys) with this subscription's private key. */
  decrypt(body: Buffer): unknown {
    const salt = body.subarray(0, 16);
    const recordSize = body.readUInt32BE(16);
    const idLength = body[20];
    const serverKey = body.subarray(21, 21 + idLength);
    const ciphertext = body.subarray(21 + idLength);
    assert.equal(idLength, 65, "the key id is the sender's ephemeral P-256 public key");
    assert.ok(ciphertext.length <= recordSize, "one record");
    const shared = this.ecdh.computeSecret(serverKey);
    const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), this.ecdh.getPublicKey(), serverKey]);
    const ikm = Buffer.from(hkdfSync("sha256", shared, this.auth, keyInfo, 32));
    const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
    const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(ciphertext.subarray(-16));
    const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
    // The last record ends with the delimiter 0x02, then zero padding.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    assert.equal(padded[end], 2, "the last record's padding delimiter");
    return JSON.parse(padded.subarray(0, end).toString("utf8"));
  }
}

/** Checks a push request's RFC 8292 `Authorization: vapid t=<JWT>, k=<key>`: signed ES256 by `publicKey`, for the
 *  endpoint's origin, not expired; and the RFC 8030/8188 headers. Returns the JWT's claims. */
export function checkVapid(push: Push, publicKey: string, endpoint: string): Record<string, unknown> {
  assert.equal(push.headers["content-encoding"], "aes128gcm");
  assert.match(String(push.headers.ttl), /^\d+$/);
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(String(push.headers.authorization));
  assert.ok(match, `a VAPID Authorization header: ${push.headers.authorization}`);
  const [, jwt, k] = match;
  assert.equal(k, publicKey);
  const [header, payload, signature] = jwt.split(".");
  assert.deepEqual(JSON.parse(Buffer.from(header, "base64url").toString()), { typ: "JWT", alg: "ES256" });
  const point = Buffer.from(publicKey, "base64url");
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  assert.ok(
    verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    ),
    "the JWT is signed by the notifier's VAPID key",
  );
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  assert.equal(claims.aud, new URL(endpoint).origin);
  assert.ok(Number(claims.exp) > Date.now() / 1000 && Number(claims.exp) <= Date.now() / 1000 + 24 * 3600);
  return claims;
}

export type SiweFields = Partial<Parameters<typeof createSiweMessage>[0]>;

/** A SIWE message for the test dApp, naming `endpoint`, signed by `signer` (a node account). */
export async function signedSiwe(
  chainUrl: string,
  signer: Address,
  fields: SiweFields & { address: Address; nonce: string; chainId: number; endpoint: string },
): Promise<{ message: string; signature: Hex }> {
  const { endpoint, ...rest } = fields;
  const message = createSiweMessage({
    domain: new URL(APP_ORIGIN).host,
    uri: APP_ORIGIN,
    version: "1",
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 5 * 60_000),
    statement: "Send notices about my bookings to this device.",
    resources: [endpoint],
    ...rest,
  });
  const wallet = createWalletClient({ transport: http(chainUrl), account: signer });
  return { message, signature: await wallet.signMessage({ message }) };
}

/** Calls the notifier's /push API: the status and the JSON answer. */
export async function pushApi(
  base: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", origin: APP_ORIGIN },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}
