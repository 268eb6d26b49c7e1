// Web Push to a subscribed customer: each notice (booking confirmed, refund arrived, dispute ruled, free
// cancellation ending) reaches the subscription's push service encrypted per RFC 8291 and signed per RFC 8292, and
// decrypts, with the subscriber's own key, to what happened; nobody else's bookings reach it. Subscriptions survive
// a restart, a 410 from the push service removes one, and the "free cancellation ends" notice goes out once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress, type Address } from "viem";
import {
  DAY,
  Earnest,
  freePort,
  HOUR,
  NotifierProcess,
  notifierArgs,
  startChain,
  tempDir,
  waitFor,
  type Chain,
  type Terms,
} from "./helpers.js";
import {
  APP_ORIGIN,
  checkVapid,
  pushApi,
  PushService,
  signedSiwe,
  Subscriber,
  vapidKeys,
  withPush,
  type Push,
} from "./push-helpers.js";

type Notice = { kind: string; bookingId?: string; amount?: string; refundBps?: number; endsAt?: number } & Record<
  string,
  unknown
>;

describe("notifier: Web Push", () => {
  let chain: Chain;
  let escrow: Earnest;
  let service: PushService;
  let notifier: NotifierProcess;
  let args: string[];
  let base: string;
  let chainId: number;
  let offering: { offeringId: number; terms: Terms };
  let tmp: ReturnType<typeof tempDir>;
  const keys = vapidKeys();
  const subject = "mailto:ops@app.test";

  before(async () => {
    tmp = tempDir();
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    chainId = await chain.client.getChainId();
    service = await PushService.start();
    const merchant = chain.accounts[2];
    await escrow.send(merchant, "registerMerchant", [chain.accounts[3], "Chez Push"]);
    offering = await escrow.createOffering(
      merchant,
      await escrow.terms({
        arbiter: chain.accounts[9],
        arbiterTimeout: 7 * DAY,
        // Full refund until 48 h before, half until 24 h before.
        cancellationTiers: [
          { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
          { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
        ],
      }),
    );
    const port = await freePort();
    args = withPush(notifierArgs({ chain, escrow, dir: tmp.dir, port, merchants: {} }), {
      ...keys,
      subject,
      origins: [APP_ORIGIN],
      allowHttpEndpoints: true,
      noticeHours: 6,
    });
    notifier = new NotifierProcess(args);
    await notifier.ready();
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await notifier?.kill();
    await service?.stop();
    await chain?.stop();
    tmp?.remove();
  });

  async function subscribe(customer: Address): Promise<Subscriber> {
    const sub = new Subscriber(service);
    const nonce = String((await pushApi(base, "/push/nonce")).json.nonce);
    const signed = await signedSiwe(chain.url, customer, { chainId, address: customer, nonce, endpoint: sub.endpoint });
    const answer = await pushApi(base, "/push/subscribe", { ...signed, subscription: sub.json() });
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    return sub;
  }

  /** The notices that reached `sub`, decrypted, after checking each request's VAPID signature. */
  function notices(sub: Subscriber): Notice[] {
    return service.to(sub.path).map((push: Push) => {
      const claims = checkVapid(push, keys.vapidPublicKey, sub.endpoint);
      assert.equal(claims.sub, subject);
      return sub.decrypt(push.body) as Notice;
    });
  }

  async function noticeOf(sub: Subscriber, kind: string, bookingId: bigint): Promise<Notice> {
    return waitFor(`a ${kind} notice for ${bookingId}`, () =>
      notices(sub).find((n) => n.kind === kind && n.bookingId === bookingId.toString()),
    );
  }

  async function advance(seconds: number): Promise<void> {
    await chain.rpc("evm_increaseTime", [seconds]);
    await chain.rpc("evm_mine");
  }

  it("tells the customer a booking is confirmed, encrypted to their subscription only", async () => {
    const customer = chain.accounts[4];
    const sub = await subscribe(customer);
    const bystander = await subscribe(chain.accounts[5]);
    const slot = await escrow.slot(offering.terms, 5);
    const bookingId = await escrow.book(customer, offering.offeringId, offering.terms, slot, 2);
    const notice = await noticeOf(sub, "booked", bookingId);
    assert.deepEqual(notice, {
      kind: "booked",
      chainId,
      escrow: getAddress(escrow.address),
      bookingId: bookingId.toString(),
      amount: (offering.terms.depositPerSeat * 2n).toString(),
      slotStart: slot,
      url: "#/bookings",
    });
    assert.ok(service.to(sub.path)[0].headers.topic, "a Topic, so that a repeat replaces itself");
    // A booking of the bystander's reaches the bystander: by then the customer's would have arrived.
    const own = await escrow.book(chain.accounts[5], offering.offeringId, offering.terms, slot);
    await noticeOf(bystander, "booked", own);
    assert.deepEqual(
      notices(bystander).map((n) => n.bookingId),
      [own.toString()],
    );
  });

  it("tells the customer a refund arrived when they cancel in time", async () => {
    const customer = chain.accounts[6];
    const sub = await subscribe(customer);
    const slot = await escrow.slot(offering.terms, 5);
    const bookingId = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await escrow.send(customer, "cancel", [bookingId]);
    const notice = await noticeOf(sub, "refunded", bookingId);
    assert.equal(notice.amount, offering.terms.depositPerSeat.toString(), "the full deposit back");
    assert.equal(notice.refundBps, 10_000);
  });

  it("tells the customer the arbiter ruled on their dispute", async () => {
    const customer = chain.accounts[7];
    const sub = await subscribe(customer);
    const slot = await escrow.slot(offering.terms, 3);
    const bookingId = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await advance(slot - (await escrow.now()) + 60);
    await escrow.send(customer, "dispute", [bookingId, "The table was given away"]);
    await escrow.send(chain.accounts[9], "resolve", [bookingId, 2_500]);
    const notice = await noticeOf(sub, "disputeRuled", bookingId);
    assert.equal(notice.refundBps, 2_500);
    assert.equal(notice.amount, ((offering.terms.depositPerSeat * 2_500n) / 10_000n).toString());
  });

  it("says free cancellation is ending, once, across a restart", async () => {
    const customer = chain.accounts[8];
    const sub = await subscribe(customer);
    const slot = await escrow.slot(offering.terms, 4);
    const bookingId = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    const endsAt = slot - 48 * HOUR + 1; // the sdk's nextRefundDrop: the first second without the full refund
    await advance(endsAt - 6 * HOUR - (await escrow.now()) - 600);
    // Ten minutes before the notice is due: a block there (its booking's confirmation shows it was read) sends none.
    const early = await escrow.book(customer, offering.offeringId, offering.terms, slot + offering.terms.slotLength);
    await noticeOf(sub, "booked", early);
    assert.equal(notices(sub).filter((n) => n.kind === "freeCancellationEnding").length, 0);
    await advance(1200);
    const notice = await noticeOf(sub, "freeCancellationEnding", bookingId);
    assert.equal(notice.endsAt, endsAt);
    assert.equal(notice.refundBpsAfter, 5_000);

    notifier.signal("SIGKILL");
    await notifier.exited;
    notifier = new NotifierProcess(args);
    await notifier.ready();
    await advance(600);
    // A fresh booking's confirmation shows the restarted notifier has caught up.
    const later = await escrow.book(
      customer,
      offering.offeringId,
      offering.terms,
      slot + 2 * offering.terms.slotLength,
    );
    await noticeOf(sub, "booked", later);
    assert.equal(
      notices(sub).filter((n) => n.kind === "freeCancellationEnding" && n.bookingId === bookingId.toString()).length,
      1,
    );
  });

  it("retries a push the push service could not take, and delivers it once", async () => {
    const customer = chain.accounts[11];
    const sub = await subscribe(customer);
    service.answers.set(sub.path, 503);
    const slot = await escrow.slot(offering.terms, 6);
    const bookingId = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await waitFor("a refused attempt", () => service.to(sub.path).length >= 1);
    service.answers.delete(sub.path);
    const taken = service.received.length;
    await waitFor("the retry", () => service.received.slice(taken).some((p) => p.path === sub.path));
    // A later notice arrives after it: nothing more of the first is on its way.
    const later = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await noticeOf(sub, "booked", later);
    const first = notices(sub).filter((n) => n.bookingId === bookingId.toString());
    assert.ok(first.length >= 2, "refused, then taken");
    assert.equal(
      service.received.slice(taken).filter((p) => p.path === sub.path).length,
      2,
      "taken once, then the later one",
    );
  });

  it("keeps subscriptions across a restart and drops one the push service says is gone (410)", async () => {
    const customer = chain.accounts[10];
    const phone = await subscribe(customer);
    const laptop = await subscribe(customer);
    notifier.signal("SIGTERM");
    await notifier.exited;
    notifier = new NotifierProcess(args);
    await notifier.ready();

    const slot = await escrow.slot(offering.terms, 6);
    const first = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await noticeOf(phone, "booked", first);
    await noticeOf(laptop, "booked", first);

    service.answers.set(phone.path, 410);
    const second = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await noticeOf(laptop, "booked", second);
    await waitFor("the 410 to remove the phone's subscription", () =>
      notifier.output.includes("push subscription gone"),
    );
    const third = await escrow.book(customer, offering.offeringId, offering.terms, slot);
    await noticeOf(laptop, "booked", third);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(service.to(phone.path).length, 2, "nothing more is sent to a subscription that is gone");
  });
});
