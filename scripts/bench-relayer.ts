// `npm run bench:relayer`: signed bookings (ERC-3009, one signature each, customers with no ETH) through the relayer
// to a local Hardhat node (automine: one block per transaction), CONCURRENCY requests in flight at a time. Latency
// is from the request to the relayer's answer, which it gives at the receipt (p50Ms, p99Ms); perSecond is bookings
// over the whole run. To tell who limits it, the same kind of transactions (fresh intents, signed by the customers
// the same way) are then sent raw, pre-signed, straight to the node from another account, as fast as it takes them:
// that rate is what the chain's mining allows; and the node's time for one simulation of such a transaction (the
// relayer's main check) is printed beside it. Writes bench/relayer.json: { bookings, perSecond, p50Ms, p99Ms, limit }.
// BENCH_BOOKINGS and BENCH_CONCURRENCY change the run's size.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
  parseTransaction,
  parseUnits,
  type Hex,
  type LocalAccount,
} from "viem";
import { earnestEscrowAbi, encodeSignedBooking, mockUsdcAbi, noCoupon, type SignedBooking } from "@earnest/sdk";
import { exitOnInterrupt, root } from "../test/support/processes.js";
import { signAuthorizationBooking, startRelayer } from "../test/support/relayer.js";
import { testAccount } from "../test/support/test-accounts.js";
import { DEPOSIT, RELAYER_KEY, setupWorld, tempDir, type Offering } from "../test/relayer/helpers.js";

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const CUSTOMERS = 40;
/** The relayer keeps up with the chain when it reaches this share of the raw rate. */
const CHAIN_BOUND_SHARE = 0.8;

exitOnInterrupt();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

console.log("Starting a Hardhat node and deploying…");
const world = await setupWorld();
const tmp = tempDir();
try {
  const customers: LocalAccount[] = [];
  for (let i = 0; i < CUSTOMERS; i++) customers.push(await world.newCustomer());
  // Enough USDC for every booking of both phases.
  const minter = createWalletClient({ transport: http(world.chain.url), account: world.chain.accounts[0] });
  for (const customer of customers) {
    await minter.writeContract({
      address: world.usdc.address,
      abi: mockUsdcAbi,
      functionName: "mint",
      args: [customer.address, parseUnits("100000", 6)],
      chain: null,
    });
  }
  const offerings: Offering[] = [world.offerings.usdcA, world.offerings.usdcB];

  async function signBookings(count: number): Promise<SignedBooking[]> {
    const signed: SignedBooking[] = [];
    for (let i = 0; i < count; i++) {
      const customer = customers[i % CUSTOMERS];
      const { intent } = await world.intent(customer.address, offerings[i % offerings.length], 3600);
      signed.push(
        await signAuthorizationBooking(customer, intent, {
          chainId: world.chainId,
          escrow: world.escrow.address,
          token: world.usdc,
          amount: DEPOSIT,
        }),
      );
    }
    return signed;
  }

  const relayer = await startRelayer({
    rpcUrl: world.chain.url,
    escrow: world.escrow.address,
    merchants: [world.merchants.a, world.merchants.b],
    key: RELAYER_KEY,
    dbDir: tmp.dir,
    settings: {
      budget: { unit: "wei", daily: (10n ** 21n).toString() },
      pollIntervalMs: Number(process.env.BENCH_POLL_MS ?? 100),
      rateLimits: { customer: { burst: 10_000, perMinute: 100_000 }, ip: { burst: 10_000, perMinute: 100_000 } },
    },
  });

  // ---- through the relayer ----
  const bookings = await signBookings(BOOKINGS);
  const bodies = bookings.map((b) => JSON.stringify(encodeSignedBooking(b)));
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t = performance.now();
        const response = await fetch(`${relayer.url}/bookings`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const answer = (await response.json()) as { bookingId?: string };
        if (response.ok && answer.bookingId) latencies.push(performance.now() - t);
        else {
          failures++;
          if (failures <= 3) console.error("refused:", JSON.stringify(answer));
        }
      }
    }),
  );
  const relayerMs = performance.now() - started;
  await relayer.stop();
  if (failures > 0) throw new Error(`${failures} of ${BOOKINGS} bookings were refused`);

  // ---- raw: the same transactions, pre-signed, straight to the node ----
  const sender = testAccount(13);
  const [fees, firstNonce] = await Promise.all([
    world.chain.client.estimateFeesPerGas(),
    world.chain.client.getTransactionCount({ address: sender.address }),
  ]);
  const raws: Hex[] = [];
  for (const [i, booking] of (await signBookings(BOOKINGS)).entries()) {
    if (booking.payment.kind !== "authorization") throw new Error("unreachable");
    raws.push(
      await sender.signTransaction({
        chainId: world.chainId,
        type: "eip1559",
        to: world.escrow.address,
        data: encodeFunctionData({
          abi: earnestEscrowAbi,
          functionName: "bookWithAuthorization",
          args: [booking.intent, booking.payment.authorization, noCoupon, "0x"],
        }),
        gas: 400_000n,
        maxFeePerGas: fees.maxFeePerGas * 2n,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        nonce: firstNonce + i,
      }),
    );
  }
  // What one of the relayer's checks costs the node: the simulation (eth_estimateGas) of each of these transactions.
  const simulationStarted = performance.now();
  for (const raw of raws) {
    const tx = parseTransaction(raw);
    await world.chain.client.estimateGas({ account: sender.address, to: tx.to!, data: tx.data! });
  }
  const simulationMs = (performance.now() - simulationStarted) / raws.length;
  const rawStarted = performance.now();
  // In nonce order, one at a time (automine mines each as it arrives), as the relayer's sender does.
  for (const raw of raws) await world.chain.client.sendRawTransaction({ serializedTransaction: raw });
  const receipts = await Promise.all(
    raws.map((raw) => world.chain.client.waitForTransactionReceipt({ hash: keccak256(raw), pollingInterval: 20 })),
  );
  const rawMs = performance.now() - rawStarted;
  const reverted = receipts.filter((r) => r.status !== "success").length;
  if (reverted > 0) throw new Error(`${reverted} raw transactions reverted`);

  latencies.sort((a, b) => a - b);
  const perSecond = Math.round(BOOKINGS / (relayerMs / 1000));
  const rawPerSecond = Math.round(BOOKINGS / (rawMs / 1000));
  const chainBound = perSecond >= CHAIN_BOUND_SHARE * rawPerSecond;
  const limit = chainBound
    ? `chain: the relayer reaches ${Math.round((100 * perSecond) / rawPerSecond)}% of the node's ${rawPerSecond}/s for the same transactions sent raw`
    : `relayer: ${perSecond}/s against the node's ${rawPerSecond}/s for the same transactions sent raw; the relayer's ` +
      `checks run on the same single-threaded node: a simulation takes it ${simulationMs.toFixed(1)} ms, a mined ` +
      `transaction ${(rawMs / BOOKINGS).toFixed(1)} ms`;
  const result = {
    bookings: latencies.length,
    perSecond,
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    limit,
  };
  console.log(
    `relayer: ${BOOKINGS} signed bookings, ${CONCURRENCY} in flight, in ${Math.round(relayerMs)} ms: ${perSecond}/s`,
  );
  console.log(`         request → answer (at the receipt): p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
  console.log(
    `raw:     the same ${BOOKINGS} transactions sent straight to the node in ${Math.round(rawMs)} ms: ${rawPerSecond}/s`,
  );
  console.log(`         one simulation (eth_estimateGas) of the same transactions: ${simulationMs.toFixed(1)} ms`);
  console.log(`limit:   ${limit}`);
  mkdirSync(path.join(root, "bench"), { recursive: true });
  writeFileSync(path.join(root, "bench/relayer.json"), JSON.stringify(result, null, 2) + "\n");
  console.log("Wrote bench/relayer.json", JSON.stringify(result));
} finally {
  await world.stop();
  tmp.remove();
}
