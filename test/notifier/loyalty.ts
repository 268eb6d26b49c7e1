// Loyalty rewards against a local chain: with a coupon key that the merchant gave the coupon role, the notifier
// signs a coupon bound to the customer exactly at the Nth fulfilled visit of an offering with a rule (none before,
// none for other offerings, other customers or other outcomes), announces it to the merchant (a Standard Webhooks
// delivery, verified by the receiver) and to the customer (Web Push), lists it at GET /loyalty/<customer>, never
// issues it twice (not across a restart, not when a reorganisation drops and brings back the visit), and the coupon
// books at its discount for that customer only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BaseError,
  ContractFunctionRevertedError,
  createWalletClient,
  getAddress,
  http,
  parseEventLogs,
  type Address,
} from "viem";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { decodeCouponLink, earnestEscrowAbi, loyaltyCoupon, STAFF_COUPONS, type Coupon } from "@earnest/sdk";
import {
  Earnest,
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
  type Terms,
} from "./helpers.js";
import { InvalidCouponKeyError, loadConfig } from "../../services/notifier/config.js";
import { APP_ORIGIN, pushApi, PushService, signedSiwe, Subscriber, vapidKeys, withPush } from "./push-helpers.js";

const SECRET = newSecret();
const RULE = { visits: 3, discountBps: 2500 };

type Reward = {
  offeringId: number;
  rewardNumber: number;
  customer: Address;
  coupon: Record<string, string>;
  signature: `0x${string}`;
  link: string;
};

describe("notifier: loyalty rewards", () => {
  let chain: Chain;
  let escrow: Earnest;
  let receiver: Receiver;
  let service: PushService;
  let notifier: NotifierProcess;
  let args: string[];
  let base: string;
  let chainId: number;
  let merchant: Address;
  let customer: Address;
  let other: Address;
  let loyal: { offeringId: number; terms: Terms };
  let plain: { offeringId: number; terms: Terms };
  let subscriber: Subscriber;
  const tmp = tempDir();
  const couponKey = generatePrivateKey();
  const staff = privateKeyToAddress(couponKey);

  before(async () => {
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    chainId = await chain.client.getChainId();
    [merchant, customer, other] = [chain.accounts[2], chain.accounts[4], chain.accounts[5]];
    receiver = await Receiver.start({ "/hook": SECRET });
    service = await PushService.start();
    await escrow.send(merchant, "registerMerchant", [chain.accounts[3], "Chez Fidèle"]);
    // The coupon key is a staff member's (not the merchant's): it signs coupons and holds no ETH.
    await escrow.send(merchant, "setStaffRoles", [staff, STAFF_COUPONS]);
    loyal = await escrow.createOffering(
      merchant,
      await escrow.terms({ metadata: JSON.stringify({ name: "Dinner", loyalty: RULE }) }),
    );
    plain = await escrow.createOffering(merchant, await escrow.terms({ metadata: '{"name":"Lunch"}' }));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    args = withPush(
      notifierArgs({
        chain,
        escrow,
        dir: tmp.dir,
        port,
        merchants: { [merchant]: { secret: SECRET, webhooks: [receiver.url("/hook")] } },
      }),
      { ...vapidKeys(), origins: [APP_ORIGIN], allowHttpEndpoints: true },
    );
    // The key from the environment (`env:NAME`), as a real deployment would keep it out of files.
    process.env.EARNEST_TEST_COUPON_KEY = couponKey;
    args.push("--coupon-key", "env:EARNEST_TEST_COUPON_KEY");
    notifier = new NotifierProcess(args);
    await notifier.ready();
    assert.match(notifier.output, new RegExp(`"loyalty":\\{"signer":"${staff}"\\}`));
    subscriber = await subscribe(customer);
  });

  after(async () => {
    await notifier?.kill();
    await receiver?.down();
    await service?.stop();
    await chain?.stop();
    tmp.remove();
  });

  async function subscribe(account: Address): Promise<Subscriber> {
    const sub = new Subscriber(service);
    const nonce = String((await pushApi(base, "/push/nonce")).json.nonce);
    const signed = await signedSiwe(chain.url, account, { chainId, address: account, nonce, endpoint: sub.endpoint });
    const answer = await pushApi(base, "/push/subscribe", { ...signed, subscription: sub.json() });
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    return sub;
  }

  async function advance(seconds: number): Promise<void> {
    await chain.rpc("evm_increaseTime", [seconds]);
    await chain.rpc("evm_mine");
  }

  /** Books a slot about a day ahead and checks the customer in at its start; returns the booking. */
  async function attend(who: Address, offering: { offeringId: number; terms: Terms }) {
    const slot = await escrow.slot(offering.terms, 1);
    const bookingId = await escrow.book(who, offering.offeringId, offering.terms, slot);
    await advance(slot - (await escrow.now()));
    await escrow.send(merchant, "checkIn", [bookingId]);
    const { slotLength, disputeWindow } = offering.terms;
    await advance(slotLength + disputeWindow + 1);
    return { bookingId, slot };
  }

  /** A fulfilled visit: attended, then settled by anyone (here a stranger). Waits until the notifier has
   *  delivered its Settled event, so that everything it would issue for it has been committed. */
  async function visit(who: Address, offering: { offeringId: number; terms: Terms }) {
    const attended = await attend(who, offering);
    await settle(attended.bookingId);
    return attended;
  }

  async function settle(bookingId: bigint): Promise<void> {
    const { logs } = await escrow.send(chain.accounts[7], "settle", [bookingId]);
    const settled = logs.find((l) => l.eventName === "Settled")!;
    const id = `${chainId}:${settled.transactionHash}:${settled.logIndex}`;
    await waitFor(`the Settled event of ${bookingId}`, () => receiver.ids("event", "/hook").has(id));
  }

  function rewardHooks(): Received[] {
    return receiver.received.filter((r) => r.body.type === "loyalty.reward_issued");
  }

  async function listed(who: Address): Promise<Reward[]> {
    const response = await fetch(`${base}/loyalty/${who}`, { headers: { origin: APP_ORIGIN } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), APP_ORIGIN);
    const body = (await response.json()) as { customer: Address; rewards: Reward[] };
    assert.equal(body.customer, getAddress(who));
    return body.rewards;
  }

  function couponOf(reward: Reward): Coupon {
    return decodeCouponLink(reward.link).coupon;
  }

  it("issues nothing before the Nth fulfilled visit, nor for other offerings, customers or outcomes", async () => {
    await visit(customer, loyal);
    await visit(customer, plain); // another offering's visit does not count
    await visit(other, loyal); // nor another customer's
    // Nor a booking that ends otherwise: a cancellation (settled as CustomerCancelled at once).
    const slot = await escrow.slot(loyal.terms, 5);
    const cancelled = await escrow.book(customer, loyal.offeringId, loyal.terms, slot);
    await escrow.send(customer, "cancel", [cancelled]);
    await visit(customer, loyal); // the second
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(rewardHooks(), []);
    assert.deepEqual(await listed(customer), []);
  });

  it("issues a coupon bound to the customer exactly at the Nth visit, and tells merchant and customer", async () => {
    const third = await visit(customer, loyal);
    const [hook] = await waitFor("the reward webhook", () => (rewardHooks().length > 0 ? rewardHooks() : undefined));
    assert.deepEqual(receiver.refused, []);
    const expected = loyaltyCoupon({
      offeringId: loyal.offeringId,
      depositPerSeat: loyal.terms.depositPerSeat,
      rule: RULE,
      customer,
      rewardNumber: 1,
      earnedAtSlotStart: third.slot,
      signer: staff,
    });
    const body = hook.body as unknown as Reward & { merchant: Address; bookingId: string; type: string };
    assert.equal(body.merchant, getAddress(merchant));
    assert.equal(body.customer, getAddress(customer));
    assert.equal(body.rewardNumber, 1);
    assert.equal(body.bookingId, third.bookingId.toString());
    assert.deepEqual(couponOf(body), expected);
    assert.equal(body.coupon.discount, (loyal.terms.depositPerSeat / 4n).toString());
    assert.equal(decodeCouponLink(body.link).signature, body.signature);

    const rewards = await listed(customer);
    assert.equal(rewards.length, 1);
    assert.deepEqual(couponOf(rewards[0]), expected);
    assert.equal(rewards[0].signature, body.signature);
    assert.deepEqual(await listed(other), [], "the other customer has earned nothing");

    const notice = await waitFor("the reward notice", () =>
      service
        .to(subscriber.path)
        .map((p) => subscriber.decrypt(p.body) as Record<string, unknown>)
        .find((n) => n.kind === "reward"),
    );
    assert.equal(notice.offeringId, loyal.offeringId);
    assert.equal(notice.rewardNumber, 1);
    assert.equal(notice.discountBps, RULE.discountBps);
    assert.equal(notice.amount, expected.discount.toString());
    assert.equal(notice.url, `#/offerings/${loyal.offeringId}/coupon/${body.link}`);
  });

  it("issues it once across a restart", async () => {
    notifier.signal("SIGTERM");
    assert.equal((await notifier.exited).code, 0);
    notifier = new NotifierProcess(args);
    await notifier.ready();
    // New blocks for the new process to follow, and a visit that earns nothing (the fourth).
    await visit(customer, loyal);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(new Set(rewardHooks().map((r) => r.headers["webhook-id"])).size, 1);
    assert.equal((await listed(customer)).length, 1);
  });

  it("issues the next reward at 2N, and once only when a reorganisation drops and brings back that visit", async () => {
    await visit(customer, loyal); // the fifth
    const sixth = await attend(customer, loyal);
    const snapshot = await chain.rpc<string>("evm_snapshot");
    await settle(sixth.bookingId);
    await waitFor("the second reward", () => rewardHooks().some((r) => r.body.rewardNumber === 2));
    const before = await listed(customer);
    assert.deepEqual(
      before.map((r) => r.rewardNumber),
      [1, 2],
    );

    // The sixth visit's settlement is dropped, then made again in another block.
    assert.equal(await chain.rpc<boolean>("evm_revert", [snapshot]), true);
    await chain.rpc("hardhat_mine", ["0x2"]);
    await settle(sixth.bookingId);
    await chain.rpc("hardhat_mine", ["0x2"]);
    await waitFor("the reorganisation", async () => {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      return /^earnest_notifier_reorgs_total [1-9]/m.test(metrics);
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = await listed(customer);
    assert.deepEqual(after, before, "the same two rewards, the same coupons");
    const hooks = rewardHooks();
    assert.equal(new Set(hooks.map((r) => r.headers["webhook-id"])).size, 2);
    assert.equal(hooks.filter((r) => r.body.rewardNumber === 2).length, 1);
    assert.equal(
      receiver.received.filter((r) => r.body.type === "reverted" && String(r.body.id).startsWith("loyalty:")).length,
      0,
      "a reward is never reverted",
    );
    const notices = service
      .to(subscriber.path)
      .map((p) => subscriber.decrypt(p.body) as Record<string, unknown>)
      .filter((n) => n.kind === "reward");
    assert.deepEqual(
      notices.map((n) => n.rewardNumber),
      [1, 2],
    );
  });

  it("books at the discount for the bound customer, and for nobody else", async () => {
    const [first] = await listed(customer);
    const coupon = couponOf(first);
    const slot = await escrow.slot(loyal.terms, 2);
    const args = [loyal.offeringId, slot, 1, `0x${"22".repeat(32)}`, coupon, first.signature] as const;
    const price = loyal.terms.depositPerSeat - coupon.discount;
    const call = {
      address: escrow.address,
      abi: earnestEscrowAbi,
      functionName: "bookWithCoupon" as const,
      args,
      value: price,
    };

    /** The custom error `account`'s booking with the coupon reverts with. */
    async function refusal(account: Address): Promise<string | undefined> {
      try {
        await chain.client.simulateContract({ ...call, account });
      } catch (error) {
        const reverted = (error as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
        assert.ok(reverted instanceof ContractFunctionRevertedError, String(error));
        return reverted.data?.errorName;
      }
      return undefined;
    }

    assert.equal(await refusal(other), "CouponWrongCustomer");
    assert.equal(await refusal(customer), undefined);
    const wallet = createWalletClient({ transport: http(chain.url), account: customer });
    const receipt = await chain.client.waitForTransactionReceipt({
      hash: await wallet.writeContract({ ...call, chain: null }),
    });
    assert.equal(receipt.status, "success");
    const logs = parseEventLogs({ abi: earnestEscrowAbi, logs: receipt.logs });
    const booked = logs.find((l) => l.eventName === "Booked");
    assert.equal(booked?.args.amount, price);
    assert.ok(logs.some((l) => l.eventName === "CouponRedeemed"));
    // Single use: the customer cannot book with it again.
    assert.equal(await refusal(customer), "CouponExhausted");
  });
});

describe("notifier: the coupon key setting", () => {
  const key = generatePrivateKey();

  it("takes a private key from --coupon-key, couponKey's env:NAME or NOTIFIER_COUPON_KEY, and is off without one", () => {
    assert.equal(loadConfig({ "coupon-key": key }, {}).couponKey, key);
    assert.equal(loadConfig({ "coupon-key": key.slice(2).toUpperCase() }, {}).couponKey, key);
    assert.equal(loadConfig({ "coupon-key": "env:KEY" }, { KEY: key }).couponKey, key);
    assert.equal(loadConfig({}, { NOTIFIER_COUPON_KEY: key }).couponKey, key);
    assert.equal(loadConfig({}, {}).couponKey, undefined);
  });

  it("stops with InvalidCouponKeyError for anything else, without echoing it", () => {
    const order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"; // secp256k1's n: no key
    for (const [value, env] of [
      ["0x1234", {}],
      [`0x${"00".repeat(32)}`, {}],
      [`0x${order}`, {}],
      [`${key}00`, {}],
      ["not a key", {}],
      ["env:UNSET_COUPON_KEY", {}],
    ] as const) {
      assert.throws(
        () => loadConfig({ "coupon-key": value }, env),
        (error: unknown) =>
          error instanceof InvalidCouponKeyError &&
          error.name === "InvalidCouponKeyError" &&
          /^--coupon-key /.test(error.message) &&
          !error.message.includes(value.slice(2, 10)),
        value,
      );
    }
    assert.throws(() => loadConfig({}, { NOTIFIER_COUPON_KEY: "0x12" }), /NOTIFIER_COUPON_KEY is not a private key/);
  });
});
