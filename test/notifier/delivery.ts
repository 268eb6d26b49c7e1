// The notifier against a Hardhat node and a local receiver: every event of a merchant arrives at its webhook,
// signed the Standard Webhooks way (checked with the `standardwebhooks` package); a receiver that is down for a while gets everything once it is back; /healthz and /metrics answer.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { getAddress, parseEventLogs, zeroAddress, type Address } from "viem";
import { decodeBookingId, earnestEscrowAbi, settlesAt, split, STAFF_CHECK_IN } from "@earnest/sdk";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import {
  DAY,
  Earnest,
  eventIdOf,
  freePort,
  newSecret,
  NotifierProcess,
  notifierArgs,
  Receiver,
  startChain,
  tempDir,
  waitFor,
  type Chain,
  type Received,
} from "./helpers.js";

const SECRET_A = newSecret();
const SECRET_B = newSecret();

describe("notifier: the captured delivery", () => {
  it("verifies with standardwebhooks at the time it was sent, and not once tampered with", () => {
    const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/webhook.json"), "utf8")) as {
      secret: string;
      headers: Record<string, string>;
      body: string;
    };
    // The package refuses timestamps five minutes from its clock: set its clock to the capture's.
    const sentAt = Number(fixture.headers["webhook-timestamp"]) * 1000;
    const clock = mock.method(Date, "now", () => sentAt + 1000);
    try {
      const webhook = new Webhook(fixture.secret);
      assert.equal((webhook.verify(fixture.body, fixture.headers) as { type: string }).type, "event");
      assert.throws(() => webhook.verify(fixture.body.replace("Booked", "Booker"), fixture.headers));
      assert.throws(() => webhook.verify(fixture.body, { ...fixture.headers, "webhook-id": "msg_other" }));
    } finally {
      clock.mock.restore();
    }
  });
});

describe("notifier: delivery", () => {
  // Each test gets its own chain, escrow, receiver and notifier: two merchants registered, one offering each, and
  // the notifier started and caught up. Nothing carries over from one test to the next.
  let chain: Chain;
  let escrow: Earnest;
  let receiver: Receiver;
  let notifier: NotifierProcess | undefined;
  let port: number;
  let tmp: ReturnType<typeof tempDir>;
  let merchantA: Address;
  let merchantB: Address;
  let customer: Address;
  let customer2: Address;
  let offeringA: Awaited<ReturnType<Earnest["createOffering"]>>;
  let offeringB: Awaited<ReturnType<Earnest["createOffering"]>>;
  let offeringMerchant: Map<number, string>;

  beforeEach(async () => {
    tmp = tempDir();
    offeringMerchant = new Map();
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    receiver = await Receiver.start({ "/a": SECRET_A, "/b": SECRET_B });
    port = await freePort();
    [, , merchantA, , merchantB, , customer, customer2] = chain.accounts;
    await escrow.send(merchantA, "registerMerchant", [chain.accounts[3], "Chez A"]);
    await escrow.send(merchantB, "registerMerchant", [chain.accounts[5], "Chez B"]);
    offeringA = await escrow.createOffering(merchantA, await escrow.terms());
    offeringB = await escrow.createOffering(merchantB, await escrow.terms());
    offeringMerchant.set(offeringA.offeringId, merchantA).set(offeringB.offeringId, merchantB);
    notifier = new NotifierProcess(
      notifierArgs({
        chain,
        escrow,
        dir: tmp.dir,
        port,
        merchants: {
          [merchantA]: { secret: SECRET_A, webhooks: [receiver.url("/a")] },
          [merchantB]: { secret: SECRET_B, webhooks: [receiver.url("/b")] },
        },
      }),
    );
    await notifier.ready();
  });

  afterEach(async () => {
    await notifier?.kill();
    notifier = undefined;
    await receiver?.down();
    await chain?.stop();
    tmp.remove();
  });

  const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

  /** Waits until both webhooks hold every event the chain has for them so far. */
  async function caughtUp(): Promise<void> {
    const expected = await expectedIds();
    await waitFor(
      "every event so far",
      () => receiver.ids("event", "/a").size >= expected.a.size && receiver.ids("event", "/b").size >= expected.b.size,
    );
    await waitFor("an empty queue", async () => value(await metrics(), "earnest_notifier_deliveries_pending") === 0);
  }

  /** Which merchant each escrow log concerns, worked out here from the chain. */
  async function expectedIds(): Promise<{ a: Set<string>; b: Set<string> }> {
    const chainId = await chain.client.getChainId();
    const logs = parseEventLogs({ abi: earnestEscrowAbi, logs: await escrow.allLogs() });
    const payouts = new Map<string, string>();
    const a = new Set<string>();
    const b = new Set<string>();
    for (const l of logs) {
      const args = l.args as Record<string, unknown>;
      let merchant: string | undefined;
      if ("merchant" in args) merchant = String(args.merchant);
      else if ("bookingId" in args)
        merchant = offeringMerchant.get(decodeBookingId(args.bookingId as bigint).offeringId);
      else if ("offeringId" in args) merchant = offeringMerchant.get(Number(args.offeringId));
      else if ("account" in args) merchant = payouts.get(String(args.account).toLowerCase());
      if (l.eventName === "MerchantRegistered" || l.eventName === "MerchantUpdated") {
        payouts.set(String(args.payout).toLowerCase(), String(args.merchant));
      }
      if (merchant?.toLowerCase() === merchantA.toLowerCase()) a.add(eventIdOf(chainId, l));
      if (merchant?.toLowerCase() === merchantB.toLowerCase()) b.add(eventIdOf(chainId, l));
    }
    return { a, b };
  }

  /** Every request passed the receiver's `standardwebhooks` check; here each is also refused by it once tampered
   *  with (body, timestamp, id) or checked with the other merchant's secret. One id per distinct body. */
  function checkSignatures(requests: Received[]): void {
    assert.deepEqual(receiver.refused, [], "the receiver refused none");
    const idOfBody = new Map<string, string>();
    for (const r of requests) {
      const headers = r.headers as Record<string, string>;
      const [secret, other] = r.path === "/a" ? [SECRET_A, SECRET_B] : [SECRET_B, SECRET_A];
      assert.deepEqual(new Webhook(secret).verify(r.raw, headers), r.body, `signature of ${r.body.id}`);
      const refused = (what: string, raw: string, changed: Record<string, string>, key = secret) =>
        assert.throws(() => new Webhook(key).verify(raw, { ...headers, ...changed }), WebhookVerificationError, what);
      refused("the other secret", r.raw, {}, other);
      refused("a changed body", r.raw.replace(/}$/, " }"), {});
      refused("a changed timestamp", r.raw, { "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) });
      refused("a changed id", r.raw, { "webhook-id": `${headers["webhook-id"]}x` });
      assert.match(headers["webhook-signature"], /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.equal(idOfBody.get(r.raw) ?? headers["webhook-id"], headers["webhook-id"], "a resend keeps its id");
      idOfBody.set(r.raw, headers["webhook-id"]);
    }
    const ids = [...idOfBody.values()];
    assert.equal(new Set(ids).size, ids.length, "different bodies, different ids");
  }

  it("delivers every event of each merchant to its webhook, signed", async () => {
    const [a, b] = [offeringA, offeringB];
    const slot = await escrow.slot(a.terms, 5);
    const first = await escrow.book(customer, a.offeringId, a.terms, slot);
    const second = await escrow.book(customer2, a.offeringId, a.terms, slot, 2);
    await escrow.book(customer, b.offeringId, b.terms, await escrow.slot(b.terms, 3));
    await escrow.send(customer, "cancel", [first]);
    await escrow.send(merchantA, "cancelByMerchant", [second]);
    await escrow.send(merchantA, "setOfferingActive", [a.offeringId, false]);
    await escrow.send(merchantA, "updateMerchant", [chain.accounts[8], "Chez A, new payout"]);

    const expected = await expectedIds();
    assert.ok(expected.a.size === 8 && expected.b.size === 3, "the scenario made events for both merchants");
    await waitFor(
      "every event",
      () => receiver.ids("event", "/a").size >= expected.a.size && receiver.ids("event", "/b").size >= expected.b.size,
    );
    assert.deepEqual(receiver.ids("event", "/a"), expected.a);
    assert.deepEqual(receiver.ids("event", "/b"), expected.b);
    checkSignatures(receiver.received);

    const booked = receiver.received.find(
      (r) => r.body.type === "event" && (r.body.event as { name: string }).name === "Booked",
    )!;
    const body = booked.body as unknown as {
      id: string;
      chainId: number;
      transactionHash: string;
      logIndex: number;
      event: { args: { bookingId: string } };
      booking: { bookingId: string; status: string; customer: string; amount: string };
    };
    assert.equal(body.id, `${body.chainId}:${body.transactionHash}:${body.logIndex}`);
    assert.equal(body.booking.bookingId, body.event.args.bookingId);
    assert.equal(body.booking.status, "Booked");
    const settled = receiver.received.filter((r) => (r.body.event as { name: string }).name === "Settled");
    assert.deepEqual(settled.map((r) => (r.body.booking as { status: string }).status).sort(), [
      "CustomerCancelled",
      "MerchantCancelled",
    ]);
  });

  it("tells the merchant who changed staff, checked in, disputed and settled, and how", async () => {
    const [arbiter, staff, stranger] = [9, 10, 11].map((i) => getAddress(chain.accounts[i]));
    const [merchant, payout, disputer] = [merchantA, chain.accounts[3], customer2].map((a) => getAddress(a));
    const offering = await escrow.createOffering(merchantA, await escrow.terms({ arbiter, arbiterTimeout: DAY }));
    offeringMerchant.set(offering.offeringId, merchantA);
    await escrow.send(merchantA, "setStaffRoles", [staff, STAFF_CHECK_IN]);
    const slot = await escrow.slot(offering.terms, 2 / 24);
    const attended = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    const disputed = await escrow.book(customer2, offering.offeringId, offering.terms, slot);
    await chain.rpc("evm_setNextBlockTimestamp", [slot - 30 * 60]);
    const signature = await escrow.signCheckIn(customer, attended);
    await escrow.send(staff, "checkInWithSignature", [attended, signature]);
    await chain.rpc("evm_setNextBlockTimestamp", [slot + 60]);
    await escrow.send(customer2, "dispute", [disputed, "Our table was given away"]);
    await chain.rpc("evm_setNextBlockTimestamp", [settlesAt({ slotStart: slot }, offering.terms)]);
    await escrow.send(stranger, "settle", [attended]);

    await caughtUp();
    const expected = await expectedIds();
    assert.deepEqual(receiver.ids("event", "/a"), expected.a);
    checkSignatures(receiver.received);
    type Body = {
      transactionFrom: string;
      event: { name: string; args: Record<string, unknown> };
      booking: { status: string } | null;
    };
    const bodies = receiver.received.map((r) => r.body as unknown as Body);
    const named = (name: string) => bodies.filter((b) => b.event.name === name).at(-1)!;
    const seen = (name: string) => {
      const { transactionFrom, event } = named(name);
      return { from: transactionFrom, args: event.args };
    };
    assert.deepEqual(seen("StaffRolesSet"), { from: merchant, args: { merchant, staff, roles: STAFF_CHECK_IN } });
    assert.deepEqual(seen("CheckedIn"), {
      from: staff,
      args: { bookingId: attended.toString(), by: staff, customerSigned: true },
    });
    assert.deepEqual(seen("Disputed"), {
      from: disputer,
      args: { bookingId: disputed.toString(), reason: "Our table was given away" },
    });
    // Anyone may settle: the stranger's settle pays the merchant's share, and the merchant hears of both.
    const share = split(offering.terms.depositPerSeat, 0, 250).merchantShare;
    assert.deepEqual(seen("Claimed"), {
      from: stranger,
      args: { merchant, token: zeroAddress, payout, amount: share.toString() },
    });
    assert.equal(named("Settled").transactionFrom, stranger);
    assert.equal(named("Settled").booking?.status, "Fulfilled");
  });

  it("delivers everything once a receiver that was down is back", async () => {
    await caughtUp();
    await receiver.down();
    const offering = await escrow.createOffering(merchantB, await escrow.terms({ seatsPerSlot: 100 }));
    offeringMerchant.set(offering.offeringId, merchantB);
    const slot = await escrow.slot(offering.terms, 2);
    for (let i = 0; i < 10; i++)
      await escrow.book(chain.accounts[10 + (i % 5)], offering.offeringId, offering.terms, slot);

    await waitFor("all 11 queued, and failing", async () => {
      const text = await metrics();
      return (
        value(text, "earnest_notifier_deliveries_pending") === 11 &&
        value(text, "earnest_notifier_delivery_attempts_failed_total") >= 22
      );
    });
    await new Promise((r) => setTimeout(r, 1000));
    await receiver.up();

    const expected = await expectedIds();
    await waitFor("every event after the outage", () => receiver.ids("event", "/b").size >= expected.b.size);
    assert.deepEqual(receiver.ids("event", "/b"), expected.b);
    checkSignatures(receiver.received);
    await waitFor("an empty queue", async () => value(await metrics(), "earnest_notifier_deliveries_pending") === 0);
  });

  it("answers /healthz and /metrics", async () => {
    await caughtUp();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const status = (await health.json()) as { ok: boolean; processed: string };
    assert.equal(status.ok, true);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const head = await chain.client.getBlockNumber({ cacheTime: 0 });
    assert.match(text, /^earnest_notifier_blocks_behind 0$/m);
    assert.match(text, new RegExp(`^earnest_notifier_head_block ${head}$`, "m"));
    assert.match(text, /^earnest_notifier_deliveries_pending 0$/m);
    assert.match(text, /^earnest_notifier_deliveries_failed_total 0$/m);
    assert.match(text, /^earnest_notifier_dead_letters 0$/m);
    assert.match(text, /# TYPE earnest_notifier_dead_letters gauge/);
    const sent = value(text, "earnest_notifier_deliveries_sent_total");
    assert.equal(sent, receiver.received.length);
    assert.match(text, /# TYPE earnest_notifier_deliveries_sent_total counter/);
    // Every delivery so far is an event: each one observed once, from its block's time to the receiver's answer.
    assert.match(text, /# TYPE earnest_notifier_delivery_latency_seconds histogram/);
    assert.equal(value(text, "earnest_notifier_delivery_latency_seconds_count"), sent);
    const buckets = [...text.matchAll(/^earnest_notifier_delivery_latency_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)];
    assert.equal(buckets.at(-1)?.[1], "+Inf");
    assert.equal(Number(buckets.at(-1)?.[2]), sent);
    const counts = buckets.map((b) => Number(b[2]));
    assert.deepEqual(
      counts,
      [...counts].sort((x, y) => x - y),
      "cumulative buckets",
    );
    const slowest = (Date.now() - receiver.received[0].at) / 1000 + 60; // generous: block times are whole seconds
    assert.ok(value(text, "earnest_notifier_delivery_latency_seconds_sum") <= sent * slowest, "plausible latencies");
    assert.doesNotMatch(text, / -1$/m, "nothing exported as -1");
    assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
  });
});
