// End to end against a local chain: customers with a fresh key and zero ETH book through the relayer with one
// ERC-3009 signature, or an intent signature and a permit (USDC-like and OpenZeppelin permit tokens); the booking is
// theirs on chain, the relayer paid the gas and the pass verifies. Re-posting answers the same booking, concurrent
// bookings do not collide on the relayer's nonces, and the info, health, metrics and CORS answers are as documented.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createClient, erc20Abi, getAddress, http, parseAbi, type Address, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  earnestEscrowAbi,
  getRelayerInfo,
  RelayerRefusedError,
  RelayerUnreachableError,
  submitSignedBooking,
  verifyPass,
  type SignedBooking,
} from "@earnest/sdk";
import { freePort } from "../support/processes.js";
import {
  signAuthorizationBooking,
  signPermitBooking,
  startRelayer,
  type StartedRelayer,
  type TokenDomain,
} from "../support/relayer.js";
import { DEPOSIT, post, RELAYER_KEY, setupWorld, tempDir, type Offering, type World } from "./helpers.js";

const noncesAbi = parseAbi(["function nonces(address) view returns (uint256)"]);

describe("relayer: booking without gas", () => {
  let world: World;
  let relayer: StartedRelayer;
  const tmp = tempDir();
  const relayerAddress = privateKeyToAccount(RELAYER_KEY).address;

  before(async () => {
    world = await setupWorld();
    relayer = await startRelayer({
      rpcUrl: world.chain.url,
      escrow: world.escrow.address,
      merchants: [world.merchants.a, world.merchants.b],
      key: RELAYER_KEY,
      dbDir: tmp.dir,
    });
  });

  after(async () => {
    await relayer?.kill();
    await world?.stop();
    tmp.remove();
  });

  const balance = (token: Address, owner: Address) =>
    world.chain.client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });

  async function signed(
    customer: LocalAccount,
    offering: Offering,
    kind: "authorization" | "permit",
    token: TokenDomain,
  ): Promise<{
    booking: SignedBooking;
    details: { name: string; contact: string; notes: string };
    salt: `0x${string}`;
  }> {
    const { intent, details, salt } = await world.intent(customer.address, offering);
    const common = { chainId: world.chainId, escrow: world.escrow.address, token, amount: DEPOSIT };
    const booking =
      kind === "authorization"
        ? await signAuthorizationBooking(customer, intent, common)
        : await signPermitBooking(customer, intent, {
            ...common,
            permitNonce: await world.chain.client.readContract({
              address: token.address,
              abi: noncesAbi,
              functionName: "nonces",
              args: [customer.address],
            }),
          });
    return { booking, details, salt };
  }

  for (const [kind, tokenName, offeringName] of [
    ["authorization", "usdc", "usdcA"],
    ["permit", "usdc", "usdcA"],
    ["permit", "musd", "musdA"],
  ] as const) {
    it(`books for a customer with zero ETH: ${kind} in ${tokenName === "usdc" ? "MockUSDC" : "MockStablecoin"}`, async () => {
      const token = world[tokenName];
      const offering = world.offerings[offeringName];
      const customer = await world.newCustomer();
      assert.equal(await world.chain.client.getBalance({ address: customer.address }), 0n);
      const relayerBefore = await world.chain.client.getBalance({ address: relayerAddress });
      const tokenBefore = await balance(token.address, customer.address);
      const { booking, details, salt } = await signed(customer, offering, kind, token);

      const answer = await submitSignedBooking({ url: relayer.url, booking });

      const onChain = await world.chain.client.readContract({
        address: world.escrow.address,
        abi: earnestEscrowAbi,
        functionName: "getBooking",
        args: [answer.bookingId],
      });
      assert.equal(onChain.customer, customer.address, "the booking is the customer's");
      assert.equal(onChain.offeringId, offering.offeringId);
      assert.equal(onChain.slotStart, offering.slot);
      const receipt = await world.chain.client.getTransactionReceipt({ hash: answer.transactionHash });
      assert.equal(receipt.from.toLowerCase(), relayerAddress.toLowerCase(), "the relayer sent it");
      assert.equal(receipt.blockNumber, answer.blockNumber);
      assert.equal(await world.chain.client.getBalance({ address: customer.address }), 0n, "the customer paid no gas");
      assert.ok((await world.chain.client.getBalance({ address: relayerAddress })) < relayerBefore, "the relayer did");
      assert.equal(await balance(token.address, customer.address), tokenBefore - DEPOSIT, "the deposit was taken");

      const client = createClient({ transport: http(world.chain.url) });
      const verified = await verifyPass(client, {
        pass: { chainId: world.chainId, escrow: world.escrow.address, bookingId: answer.bookingId, details, salt },
        fromBlock: world.escrow.deployBlock,
      });
      assert.equal(verified.result, "valid", "the pass verifies");
      assert.equal(verified.result === "valid" && verified.booking.customer, customer.address);
    });
  }

  it("answers a re-posted booking with the same booking, without a second transaction", async () => {
    const customer = await world.newCustomer();
    const { booking } = await signed(customer, world.offerings.usdcB, "authorization", world.usdc);
    const sentBefore = await world.chain.client.getTransactionCount({ address: relayerAddress });
    // Posted three times at once: one submission, one answer for all.
    const [first, ...racing] = await Promise.all(
      [1, 2, 3].map(() => submitSignedBooking({ url: relayer.url, booking })),
    );
    for (const answer of racing) assert.deepEqual(answer, first);
    const sent = await world.chain.client.getTransactionCount({ address: relayerAddress });
    assert.equal(sent, sentBefore + 1, "one transaction");
    const again = await submitSignedBooking({ url: relayer.url, booking });
    const concurrently = await Promise.all([1, 2, 3].map(() => submitSignedBooking({ url: relayer.url, booking })));
    for (const answer of [again, ...concurrently]) assert.deepEqual(answer, first);
    assert.equal(await world.chain.client.getTransactionCount({ address: relayerAddress }), sent);
  });

  it("submits concurrent bookings without nonce collisions", async () => {
    const customers = await Promise.all(Array.from({ length: 12 }, () => world.newCustomer()));
    const bookings = await Promise.all(
      customers.map(
        async (c, i) =>
          (await signed(c, i % 2 ? world.offerings.usdcA : world.offerings.usdcB, "authorization", world.usdc)).booking,
      ),
    );
    const answers = await Promise.all(bookings.map((booking) => submitSignedBooking({ url: relayer.url, booking })));
    assert.equal(new Set(answers.map((a) => a.bookingId)).size, customers.length, "one booking each");
    for (const [i, answer] of answers.entries()) {
      const onChain = await world.chain.client.readContract({
        address: world.escrow.address,
        abi: earnestEscrowAbi,
        functionName: "getBooking",
        args: [answer.bookingId],
      });
      assert.equal(onChain.customer, customers[i].address);
    }
  });

  it("the client throws RelayerRefusedError with the code, and RelayerUnreachableError when nothing answers", async () => {
    const customer = await world.newCustomer();
    const { booking } = await signed(customer, world.offerings.usdcOther, "authorization", world.usdc);
    await assert.rejects(submitSignedBooking({ url: relayer.url, booking }), (error: unknown) => {
      assert.ok(error instanceof RelayerRefusedError);
      assert.equal(error.code, "OfferingNotServed");
      assert.equal(error.status, 403);
      assert.equal(error.details.offeringId, world.offerings.usdcOther.offeringId);
      return true;
    });
    const nobody = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(submitSignedBooking({ url: nobody, booking }), RelayerUnreachableError);
    await assert.rejects(getRelayerInfo({ url: nobody }), RelayerUnreachableError);
  });

  it("tells the dApp what it serves, answers CORS preflights, and reports health and metrics", async () => {
    const info = await getRelayerInfo({ url: `${relayer.url}/` });
    assert.deepEqual(info, {
      escrow: getAddress(world.escrow.address),
      chainId: world.chainId,
      relayer: relayerAddress,
      merchants: [world.merchants.a, world.merchants.b],
      minDeadlineSeconds: 30,
    });

    const preflight = await fetch(`${relayer.url}/bookings`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:5173", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /content-type/);
    const refused = await post(relayer.url, { nonsense: true }, { origin: "http://127.0.0.1:5173" });
    assert.equal(refused.headers.get("access-control-allow-origin"), "*", "refusals are readable cross-origin too");

    const health = await fetch(`${relayer.url}/healthz`);
    assert.equal(health.status, 200);
    const healthBody = (await health.json()) as { ok: boolean; pending: number };
    assert.equal(healthBody.ok, true);
    assert.equal(healthBody.pending, 0);

    const metrics = await (await fetch(`${relayer.url}/metrics`)).text();
    const booked = Number(/earnest_relayer_requests_total\{outcome="booked"\} (\d+)/.exec(metrics)?.[1]);
    assert.ok(booked >= 16, `booked requests counted: ${booked}`);
    assert.match(metrics, /earnest_relayer_requests_total\{outcome="OfferingNotServed"\} 1/);
    assert.match(metrics, /earnest_relayer_requests_total\{outcome="BadRequest"\} 1/);
    const submitted = Number(/earnest_relayer_submitted_total (\d+)/.exec(metrics)?.[1]);
    assert.equal(submitted, 16, "one transaction per booking (3 + 1 + 12)");
    assert.ok(Number(/earnest_relayer_gas_used_total (\d+)/.exec(metrics)?.[1]) > 16 * 50_000);
    for (const merchant of [world.merchants.a, world.merchants.b]) {
      const left = new RegExp(`earnest_relayer_budget_left\\{merchant="${merchant}",unit="wei"\\} (\\d+)`).exec(
        metrics,
      );
      assert.ok(left && BigInt(left[1]) > 0n && BigInt(left[1]) < 5n * 10n ** 16n, `budget left for ${merchant}`);
    }
    assert.match(metrics, /earnest_relayer_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    assert.match(metrics, /earnest_relayer_request_duration_seconds_count \d+/);
  });
});
