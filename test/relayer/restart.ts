// The relayer's state survives it: a merchant's daily budget runs out (BudgetExhausted before anything is sent) and
// stays spent across a restart, as do the nonces it has seen; and killed with SIGKILL between the broadcast and the
// answer it loses nothing: restarted, it finds the receipt (or sends the stored transaction again when the node
// dropped it) and re-posting the booking answers it.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, afterEach, before, describe, it } from "node:test";
import type { Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { earnestEscrowAbi, encodeSignedBooking, type SignedBooking } from "@earnest/sdk";
import { waitFor } from "../support/processes.js";
import { signAuthorizationBooking, startRelayer, type StartedRelayer } from "../support/relayer.js";
import { DEPOSIT, post, refusal, RELAYER_KEY, setupWorld, tempDir, type Offering, type World } from "./helpers.js";

const relayerAddress = privateKeyToAccount(RELAYER_KEY).address;

describe("relayer: budget, restarts and crashes", () => {
  let world: World;
  const tmp = tempDir();
  let running: StartedRelayer | undefined;
  let dirs = 0;

  before(async () => {
    world = await setupWorld();
  });

  afterEach(async () => {
    await running?.kill();
    running = undefined;
    await world.chain.rpc("evm_setAutomine", [true]);
  });

  after(async () => {
    await world?.stop();
    tmp.remove();
  });

  function newDir(): string {
    const dir = path.join(tmp.dir, String(++dirs));
    mkdirSync(dir);
    return dir;
  }

  async function start(dbDir: string, settings: Record<string, unknown> = {}): Promise<StartedRelayer> {
    running = await startRelayer({
      rpcUrl: world.chain.url,
      escrow: world.escrow.address,
      merchants: {
        [world.merchants.a]: { dailyBudget: "400000" },
        [world.merchants.b]: {},
      },
      key: RELAYER_KEY,
      dbDir,
      settings: { budget: { unit: "gas", daily: "10000000" }, ...settings },
    });
    return running;
  }

  async function signed(offering: Offering, customer?: LocalAccount): Promise<SignedBooking> {
    const who = customer ?? (await world.newCustomer());
    const { intent } = await world.intent(who.address, offering);
    return signAuthorizationBooking(who, intent, {
      chainId: world.chainId,
      escrow: world.escrow.address,
      token: world.usdc,
      amount: DEPOSIT,
    });
  }

  const metric = async (url: string, pattern: RegExp): Promise<bigint> => {
    const match = pattern.exec(await (await fetch(`${url}/metrics`)).text());
    assert.ok(match, `metric ${pattern}`);
    return BigInt(match[1]);
  };
  const spentA = (url: string) =>
    metric(url, new RegExp(`earnest_relayer_budget_spent\\{merchant="${world.merchants.a}",unit="gas"\\} (\\d+)`));

  it("refuses with BudgetExhausted before sending, per merchant, and keeps budget and nonces across a restart", async () => {
    const dir = newDir();
    let relayer = await start(dir);
    const answers: Record<string, unknown>[] = [];
    const booked: SignedBooking[] = [];
    const customers: LocalAccount[] = [];
    let exhausted: ReturnType<typeof refusal> | undefined;
    for (let i = 0; i < 5 && !exhausted; i++) {
      const customer = await world.newCustomer();
      const booking = await signed(world.offerings.usdcA, customer);
      const answer = await post(relayer.url, encodeSignedBooking(booking));
      if (answer.status === 200) {
        answers.push(answer.body);
        booked.push(booking);
        customers.push(customer);
      } else exhausted = refusal(answer);
    }
    assert.ok(answers.length >= 1, "the budget pays for at least one booking");
    assert.ok(exhausted, "and runs out within 400,000 gas");
    assert.equal(exhausted.code, "BudgetExhausted");
    assert.equal(exhausted.merchant, world.merchants.a);
    assert.equal(exhausted.unit, "gas");
    assert.equal(exhausted.budget, "400000");
    const used = BigInt(exhausted.used as string);
    assert.ok(used <= 400_000n && used + BigInt(exhausted.needed as string) > 400_000n, JSON.stringify(exhausted));
    assert.ok(Number(exhausted.retryAfter) > 0 && Number(exhausted.retryAfter) <= 86_400);
    assert.equal(await spentA(relayer.url), used, "what was refused is what the receipts spent");
    const sent = await world.chain.client.getTransactionCount({ address: relayerAddress });

    // Merchant B's budget is its own.
    const other = await post(relayer.url, encodeSignedBooking(await signed(world.offerings.usdcB)));
    assert.equal(other.status, 200, JSON.stringify(other.body));

    await relayer.stop();
    relayer = await start(dir);
    assert.equal(await spentA(relayer.url), used, "the budget spent survives the restart");
    const after = refusal(await post(relayer.url, encodeSignedBooking(await signed(world.offerings.usdcA))));
    assert.equal(after.code, "BudgetExhausted");
    assert.equal(after.used, exhausted.used);
    // The nonces seen: the same booking is answered from the store, another intent with its nonce refused.
    const again = await post(relayer.url, encodeSignedBooking(booked[0]));
    assert.deepEqual(again.body, answers[0]);
    const customer = customers[0];
    const second = await world.intent(customer.address, world.offerings.usdcB);
    const reuse = await signAuthorizationBooking(
      customer,
      { ...second.intent, nonce: booked[0].intent.nonce },
      { chainId: world.chainId, escrow: world.escrow.address, token: world.usdc, amount: DEPOSIT },
    );
    assert.equal(refusal(await post(relayer.url, encodeSignedBooking(reuse))).code, "NonceUsed");
    const stored = new DatabaseSync(path.join(dir, "relayer.db"), { readOnly: true });
    const nonces = stored.prepare("SELECT COUNT(*) AS n FROM nonces").get() as { n: number };
    stored.close();
    assert.equal(nonces.n, answers.length + 1, "every booked nonce is stored");
    assert.equal(await metric(relayer.url, /earnest_relayer_submitted_total (\d+)/), 0n, "nothing sent again");
    assert.equal(await world.chain.client.getTransactionCount({ address: relayerAddress }), sent + 1);
  });

  /** Posts `booking` and resolves once the relayer has broadcast its transaction (the node holds it unmined),
   *  with the request still waiting for its receipt. */
  async function postUntilBroadcast(
    relayer: StartedRelayer,
    booking: SignedBooking,
  ): Promise<{ request: Promise<unknown> }> {
    const before = await world.chain.client.getTransactionCount({ address: relayerAddress, blockTag: "pending" });
    const request = post(relayer.url, encodeSignedBooking(booking)).catch((error: unknown) => error);
    await waitFor("the broadcast", async () => {
      const pending = await world.chain.client.getTransactionCount({ address: relayerAddress, blockTag: "pending" });
      return pending > before;
    });
    return { request }; // wrapped: an async function returning the promise itself would wait for it
  }

  function pendingInStore(dir: string): { txHash: Hex; rawTx: Hex }[] {
    const db = new DatabaseSync(path.join(dir, "relayer.db"), { readOnly: true });
    try {
      return (
        db.prepare("SELECT tx_hash, raw_tx FROM submissions WHERE status = 'pending'").all() as {
          tx_hash: Hex;
          raw_tx: Hex;
        }[]
      ).map((r) => ({ txHash: r.tx_hash, rawTx: r.raw_tx }));
    } finally {
      db.close();
    }
  }

  async function ownerOf(bookingId: bigint) {
    const booking = await world.chain.client.readContract({
      address: world.escrow.address,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });
    return booking.customer;
  }

  it("killed with SIGKILL after the broadcast, restarted, answers the re-posted booking from its receipt", async () => {
    const dir = newDir();
    let relayer = await start(dir);
    const booking = await signed(world.offerings.usdcB);
    await world.chain.rpc("evm_setAutomine", [false]); // the node holds what it is sent until evm_mine
    const { request } = await postUntilBroadcast(relayer, booking);
    assert.equal(pendingInStore(dir).length, 1, "stored before it was broadcast");
    await relayer.kill();
    assert.ok((await request) instanceof Error, "the customer's request got no answer");

    await world.chain.rpc("evm_mine"); // mined while the relayer was down
    await world.chain.rpc("evm_setAutomine", [true]);
    relayer = await start(dir);
    const answer = await post(relayer.url, encodeSignedBooking(booking));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(await ownerOf(BigInt(answer.body.bookingId as string)), booking.intent.customer);
    assert.equal(pendingInStore(dir).length, 0);
    assert.equal(await metric(relayer.url, /earnest_relayer_submitted_total (\d+)/), 0n, "not submitted twice");
  });

  it("killed with SIGKILL after the broadcast, its transaction dropped by the node, sends the stored one again", async () => {
    const dir = newDir();
    let relayer = await start(dir);
    const booking = await signed(world.offerings.usdcB);
    await world.chain.rpc("evm_setAutomine", [false]); // the node holds what it is sent until evm_mine
    const { request } = await postUntilBroadcast(relayer, booking);
    await relayer.kill();
    await request;
    const [stored] = pendingInStore(dir);
    assert.ok(stored, "the signed transaction is in the store");
    assert.equal(await world.chain.rpc("hardhat_dropTransaction", [stored.txHash]), true);
    assert.equal(
      await world.chain.client.getTransactionCount({ address: relayerAddress, blockTag: "pending" }),
      await world.chain.client.getTransactionCount({ address: relayerAddress }),
      "the node forgot it",
    );

    await world.chain.rpc("evm_setAutomine", [true]);
    relayer = await start(dir);
    const answer = await post(relayer.url, encodeSignedBooking(booking));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.transactionHash, stored.txHash, "the very transaction it had signed");
    assert.equal(await ownerOf(BigInt(answer.body.bookingId as string)), booking.intent.customer);
    assert.match(relayer.output, /"msg":"resuming pending submissions"/);
  });
});
