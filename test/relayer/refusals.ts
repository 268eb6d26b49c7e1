// Every refusal of the relayer protocol, each with its code, HTTP status and details: a malformed or oversized body,
// an unknown path, an offering not served, a payment the token cannot take, a stale deadline, a used nonce (by this
// relayer, and on chain by someone else, whose booking is then the answer), a simulation that reverts (with the
// escrow's error decoded), rate limits per customer and per IP, and a submission the node refuses.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, encodeFunctionData, http, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  earnestEscrowAbi,
  encodeSignedBooking,
  hashBookingIntent,
  noCoupon,
  relayerRefusalStatus,
  type SignedBooking,
} from "@earnest/sdk";
import { signAuthorizationBooking, signPermitBooking, startRelayer, type StartedRelayer } from "../support/relayer.js";
import { DEPOSIT, post, refusal, RELAYER_KEY, setupWorld, tempDir, type Offering, type World } from "./helpers.js";

describe("relayer: refusals", () => {
  let world: World;
  let relayer: StartedRelayer;
  const started: StartedRelayer[] = [];
  const tmp = tempDir();
  let dirs = 0;
  const dir = () => {
    const d = `${tmp.dir}/${++dirs}`;
    return d;
  };

  /** A relayer for merchants A and B with generous limits unless told. */
  async function relayerWith(settings: Record<string, unknown> = {}, key = RELAYER_KEY): Promise<StartedRelayer> {
    const { mkdirSync } = await import("node:fs");
    const dbDir = dir();
    mkdirSync(dbDir);
    const r = await startRelayer({
      rpcUrl: world.chain.url,
      escrow: world.escrow.address,
      merchants: [world.merchants.a, world.merchants.b],
      key,
      dbDir,
      settings: {
        rateLimits: { customer: { burst: 100, perMinute: 100 }, ip: { burst: 1000, perMinute: 1000 } },
        ...settings,
      },
    });
    started.push(r);
    return r;
  }

  before(async () => {
    world = await setupWorld();
    relayer = await relayerWith();
  });

  after(async () => {
    for (const r of started) await r.kill();
    await world?.stop();
    tmp.remove();
  });

  const authorize = async (customer: LocalAccount, intent: SignedBooking["intent"]) =>
    signAuthorizationBooking(customer, intent, {
      chainId: world.chainId,
      escrow: world.escrow.address,
      token: world.usdc,
      amount: DEPOSIT,
    });

  async function authorized(
    offering: Offering,
    validFor = 600,
  ): Promise<{ customer: LocalAccount; booking: SignedBooking }> {
    const customer = await world.newCustomer();
    const { intent } = await world.intent(customer.address, offering, validFor);
    return { customer, booking: await authorize(customer, intent) };
  }

  /** Posts and checks the refusal's code and status; returns its error object. */
  async function refused(url: string, body: unknown, code: keyof typeof relayerRefusalStatus) {
    const answer = await post(url, body);
    const error = refusal(answer);
    assert.equal(error.code, code, JSON.stringify(error));
    assert.equal(answer.status, relayerRefusalStatus[code]);
    assert.equal(typeof error.message, "string");
    assert.ok(error.message.length > 0);
    return error;
  }

  it("BadRequest names the bad field; PayloadTooLarge; NotFound names the path", async () => {
    assert.equal((await refused(relayer.url, "{nope", "BadRequest")).field, "body");
    assert.equal((await refused(relayer.url, { payment: {} }, "BadRequest")).field, "intent");
    const { booking } = await authorized(world.offerings.usdcA);
    const json = encodeSignedBooking(booking) as { intent: Record<string, unknown> };
    assert.equal(
      (await refused(relayer.url, { ...json, intent: { ...json.intent, customer: "0x12" } }, "BadRequest")).field,
      "intent.customer",
    );
    assert.equal(
      (await refused(relayer.url, { ...json, payment: { kind: "cheque" } }, "BadRequest")).field,
      "payment.kind",
    );
    await refused(relayer.url, "x".repeat(20_000), "PayloadTooLarge");
    const missing = await fetch(`${relayer.url}/nope`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { error: { code: string; path: string } };
    assert.deepEqual([body.error.code, body.error.path], ["NotFound", "/nope"]);
  });

  it("OfferingNotServed: an unknown offering, and another merchant's", async () => {
    const customer = await world.newCustomer();
    const { intent } = await world.intent(customer.address, world.offerings.usdcA);
    const unknown = await refused(
      relayer.url,
      encodeSignedBooking(await authorize(customer, { ...intent, offeringId: 999 })),
      "OfferingNotServed",
    );
    assert.equal(unknown.offeringId, 999);
    const { booking } = await authorized(world.offerings.usdcOther);
    const other = await refused(relayer.url, encodeSignedBooking(booking), "OfferingNotServed");
    assert.equal(other.merchant, world.merchants.other);
  });

  it("UnsupportedPayment: an ETH offering, and an authorization in a token without ERC-3009", async () => {
    const eth = await authorized(world.offerings.ethA);
    assert.equal(
      (await refused(relayer.url, encodeSignedBooking(eth.booking), "UnsupportedPayment")).token,
      "0x0000000000000000000000000000000000000000",
    );
    const musd = await authorized(world.offerings.musdA);
    const error = await refused(relayer.url, encodeSignedBooking(musd.booking), "UnsupportedPayment");
    assert.equal(error.kind, "authorization");
    assert.equal(error.token, world.musd.address);
  });

  it("Expired: a deadline passed, and one closer than the relayer's minimum", async () => {
    const passed = await authorized(world.offerings.usdcA, -1);
    const error = await refused(relayer.url, encodeSignedBooking(passed.booking), "Expired");
    assert.equal(error.minimum, 30);
    const close = await authorized(world.offerings.usdcA, 10);
    const tooClose = await refused(relayer.url, encodeSignedBooking(close.booking), "Expired");
    assert.equal(tooClose.deadline, close.booking.intent.deadline);
    assert.match(tooClose.message, /at least 30 s/);
  });

  it("NonceUsed: by another of the customer's bookings through this relayer, or on chain", async () => {
    const customer = await world.newCustomer();
    const first = await world.intent(customer.address, world.offerings.usdcA);
    const ok = await post(relayer.url, encodeSignedBooking(await authorize(customer, first.intent)));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // Same nonce, another booking (another offering): the relayer's store knows the nonce.
    const second = await world.intent(customer.address, world.offerings.usdcB);
    const reused = await authorize(customer, { ...second.intent, nonce: first.intent.nonce });
    assert.equal((await refused(relayer.url, encodeSignedBooking(reused), "NonceUsed")).nonce, first.intent.nonce);
    // A second relayer has never seen it: the chain says it is used.
    const fresh = await relayerWith();
    await refused(fresh.url, encodeSignedBooking(reused), "NonceUsed");
    // ...but the booking itself it answers from the chain, as whoever submitted it.
    const again = await post(fresh.url, encodeSignedBooking(await authorize(customer, first.intent)));
    assert.deepEqual(again.body, ok.body);
  });

  it("answers a booking someone else submitted first with that booking", async () => {
    const { booking } = await authorized(world.offerings.usdcB);
    assert.equal(booking.payment.kind, "authorization");
    const someone = createWalletClient({ transport: http(world.chain.url), account: world.chain.accounts[5] });
    const hash = await someone.sendTransaction({
      to: world.escrow.address,
      data: encodeFunctionData({
        abi: earnestEscrowAbi,
        functionName: "bookWithAuthorization",
        args: [
          booking.intent,
          booking.payment.kind === "authorization" ? booking.payment.authorization : "0x",
          noCoupon,
          "0x",
        ],
      }),
      chain: null,
    });
    const receipt = await world.chain.client.waitForTransactionReceipt({ hash });
    const answer = await post(relayer.url, encodeSignedBooking(booking));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.transactionHash, hash);
    assert.equal(answer.body.blockNumber, receipt.blockNumber.toString());
  });

  it("SimulationFailed with the escrow's custom error and its arguments", async () => {
    const customer = await world.newCustomer();
    const impostor = privateKeyToAccount(generatePrivateKey());
    const { intent } = await world.intent(customer.address, world.offerings.usdcA);
    const forged = await signPermitBooking(impostor, intent, {
      chainId: world.chainId,
      escrow: world.escrow.address,
      token: world.usdc,
      amount: DEPOSIT,
      permitNonce: 0n,
    });
    const error = await refused(relayer.url, encodeSignedBooking(forged), "SimulationFailed");
    assert.equal(error.errorName, "InvalidBookingSignature");
    assert.deepEqual(error.args, [hashBookingIntent(intent, world.chainId, world.escrow.address), customer.address]);

    // An authorization for less than the booking: the token's own error.
    const short = await signAuthorizationBooking(
      customer,
      { ...intent, nonce: `0x${"42".repeat(32)}` },
      {
        chainId: world.chainId,
        escrow: world.escrow.address,
        token: world.usdc,
        amount: DEPOSIT - 1n,
      },
    );
    const tokenError = await refused(relayer.url, encodeSignedBooking(short), "SimulationFailed");
    assert.equal(tokenError.errorName, "InvalidSignature");

    // A slot off the offering's grid.
    const offGrid = await authorize(customer, {
      ...intent,
      slotStart: intent.slotStart + 1,
      nonce: `0x${"43".repeat(32)}`,
    });
    const gridError = await refused(relayer.url, encodeSignedBooking(offGrid), "SimulationFailed");
    assert.equal(typeof gridError.errorName, "string");
    assert.match(gridError.message, new RegExp(String(gridError.errorName)));
  });

  it("RateLimited per customer and per IP, with retryAfter", async () => {
    const limited = await relayerWith({
      rateLimits: { customer: { burst: 2, perMinute: 1 }, ip: { burst: 5, perMinute: 1 } },
    });
    const customer = await world.newCustomer();
    const bodies = await Promise.all(
      [1, 2, 3].map(async () =>
        encodeSignedBooking(
          await authorize(customer, (await world.intent(customer.address, world.offerings.usdcOther)).intent),
        ),
      ),
    );
    await refused(limited.url, bodies[0], "OfferingNotServed");
    await refused(limited.url, bodies[1], "OfferingNotServed");
    const answer = await post(limited.url, bodies[2]);
    const byCustomer = refusal(answer);
    assert.equal(byCustomer.code, "RateLimited");
    assert.equal(byCustomer.scope, "customer");
    assert.ok(Number(byCustomer.retryAfter) >= 1 && Number(byCustomer.retryAfter) <= 60);
    assert.equal(answer.headers.get("retry-after"), String(byCustomer.retryAfter));
    // Other customers from the same address: the IP's bucket (5, of which 2 taken) runs out.
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { booking } = await authorized(world.offerings.usdcOther);
      codes.push(refusal(await post(limited.url, encodeSignedBooking(booking))).code);
    }
    assert.deepEqual(codes, ["OfferingNotServed", "OfferingNotServed", "OfferingNotServed", "RateLimited"]);
    const { booking } = await authorized(world.offerings.usdcOther);
    const byIp = await refused(limited.url, encodeSignedBooking(booking), "RateLimited");
    assert.equal(byIp.scope, "ip");
  });

  it("SubmissionFailed when the node refuses the transaction (a relayer without ETH)", async () => {
    const broke = await relayerWith({}, generatePrivateKey());
    const { booking } = await authorized(world.offerings.usdcA);
    const error = await refused(broke.url, encodeSignedBooking(booking), "SubmissionFailed");
    assert.match(error.message, /refused/i);
    // Nothing was booked, so the nonce is free: the same booking goes through a funded relayer.
    const ok = await post(relayer.url, encodeSignedBooking(booking));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });
});
