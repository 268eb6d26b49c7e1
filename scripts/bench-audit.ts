// `npm run bench:audit [-- N]`: seeds a local Hardhat node with N bookings (10,000 by default) across every outcome
// (customer cancel, merchant cancel, fulfilled, no-show, resolved, arbiter timed out, still open), in ETH and a
// stablecoin, in two rounds: N/10 bookings, then the rest. After each round the verifier runs in a child process (so
// that seeding does not count towards its memory) over HTTP, through a proxy that refuses any `eth_getLogs` answer of
// more than 10,000 logs as a capped provider does. Prints the time, memory and RPC requests of each run and writes
// bench/audit.json: { bookings, events, seconds, rpcRequests, peakRssMb, peakHeapUsedMb, bytesPerBooking, small,
// seedSeconds, maxLogsPerResponse, extrapolated1M }, bytesPerBooking being the slope of peak memory between the two
// sizes and extrapolated1M the memory and time at 1,000,000 bookings along the slopes between them.
// The CLI's heap settings, so that the child measures the process users run (the seeding parent has them too).
import "../cli/audit/heap.js";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Address, Hex } from "viem";
import type { Tx } from "../test/support/send-batched.js";
// Loaded once the heap settings are in force, as the CLI does (static imports would all load before they are).
const { encodeDeployData, encodeFunctionData, getContractAddress, maxUint256, toHex, zeroAddress, parseAbi } =
  await import("viem");
const { audit, CheckInRule, createRpc, earnestEscrowAbi, MAX_FEE_BPS, mockStablecoinAbi } =
  await import("@earnest/sdk");
const { exitOnInterrupt, root, startHardhatNode } = await import("../test/support/processes.js");
const { sendBatched } = await import("../test/support/send-batched.js");

/** What the child process reports of one verifier run. */
type Run = {
  bookings: number;
  events: number;
  seconds: number;
  rpcRequests: number;
  peakRssMb: number;
  /** The largest heap in use seen (sampled): beside the peak RSS, how much of it was the JS heap. */
  peakHeapUsedMb: number;
  ok: boolean;
};

// The child: one audit, then its figures as one JSON line.
if (process.argv[2] === "--verify") {
  const [, , , url, escrow] = process.argv;
  const client = createRpc(url);
  let peakHeapUsed = 0;
  const sampler = setInterval(() => (peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed)), 50);
  const start = performance.now();
  const result = await audit({ rpc: client, escrow: escrow as Address });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  if (!result.ok) console.error(result.summary);
  const run: Run = {
    bookings: result.verification.bookings.size,
    events: result.verification.events,
    seconds: Math.round(seconds * 1000) / 1000,
    rpcRequests: result.rpcRequests,
    // maxRSS is in kilobytes.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapUsedMb: Math.round(peakHeapUsed / 2 ** 20),
    ok: result.ok,
  };
  console.log(JSON.stringify(run));
  process.exit(0);
}

const N = Number(process.argv[2] ?? process.env.BOOKINGS ?? 10_000);
if (!Number.isInteger(N) || N < 20)
  throw new Error(`Expected a number of bookings of at least 20, got ${process.argv[2]}.`);
const SMALL = Math.round(N / 10);
const PER_BLOCK = 250;
/** Bookings per offering and slot: within the seats of one slot (up to 3 seats each). */
const PER_OFFERING = 10_000;
const MAX_LOGS = 10_000;
const HOUR = 3600;
const DAY = 24 * HOUR;
exitOnInterrupt();
const node = await startHardhatNode();
const { url, rpc } = node;

/** Sends the transactions in blocks of PER_BLOCK (automine is off below). */
const sendAll = (txs: Tx[], perBlock = PER_BLOCK) => sendBatched(node, txs, perBlock);

const escrowCall = (functionName: string, args: unknown[]) =>
  encodeFunctionData({ abi: earnestEscrowAbi, functionName: functionName as "book", args: args as never });
const bytecode = (name: string) =>
  (
    JSON.parse(readFileSync(path.join(root, `artifacts/contracts/${name}`), "utf8")) as {
      bytecode: Hex;
    }
  ).bytecode;

/** The node behind a provider's cap: an `eth_getLogs` answer of more than MAX_LOGS logs is refused as Infura does. */
async function startCappedProxy(target: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const requests = JSON.parse(body) as { method: string }[] | { method: string };
      const methods = Array.isArray(requests) ? requests.map((r) => r.method) : [requests.method];
      const answered = fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
      // Only log answers need looking into; the rest pass as they are, so that the proxy adds little time.
      if (!methods.includes("eth_getLogs")) {
        void answered
          .then(async (r) => {
            res.setHeader("content-type", "application/json");
            res.end(Buffer.from(await r.arrayBuffer()));
          })
          .catch((e: unknown) => {
            res.statusCode = 502;
            res.end(String(e));
          });
        return;
      }
      void answered
        .then((r) => r.json())
        .then((answer: unknown) => {
          const list = Array.isArray(answer) ? answer : [answer];
          const capped = (list as { id: number; result?: unknown }[]).map((a, i) =>
            methods[i] === "eth_getLogs" && Array.isArray(a.result) && a.result.length > MAX_LOGS
              ? {
                  jsonrpc: "2.0",
                  id: a.id,
                  error: { code: -32005, message: `query returned more than ${MAX_LOGS} results` },
                }
              : a,
          );
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify(Array.isArray(answer) ? capped : capped[0]));
        })
        .catch((e: unknown) => {
          res.statusCode = 502;
          res.end(String(e));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** The verifier in a child process, its figures as it reports them. */
function verifyInChild(proxyUrl: string, escrow: Address): Promise<Run> {
  return new Promise((resolve, reject) => {
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const child = spawn(tsx, [import.meta.filename, "--verify", proxyUrl, escrow], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`The verifier exited with ${code}: ${out}`));
      else resolve(JSON.parse(line) as Run);
    });
  });
}

const accounts = await rpc<Address[]>("eth_accounts");
const [owner, feeRecipient, merchant, payout, arbiter] = accounts;
const customers = accounts.slice(5, 15);
await rpc("evm_setAutomine", [false]);

console.log(`Seeding ${SMALL} bookings, then ${N - SMALL} more…`);
const nonce0 = Number(BigInt(await rpc<Hex>("eth_getTransactionCount", [owner, "latest"])));
const escrow = getContractAddress({ from: owner, nonce: BigInt(nonce0) });
const usd = getContractAddress({ from: owner, nonce: BigInt(nonce0 + 1) });
await sendAll([
  {
    from: owner,
    // The constructor is EarnestEscrow's own (the sdk's ABI is the whole surface at its address, which has none).
    data: encodeDeployData({
      abi: parseAbi(["constructor(address initialOwner, address feeRecipient, uint16 feeBps)"]),
      bytecode: bytecode("EarnestEscrow.sol/EarnestEscrow.json"),
      args: [owner, feeRecipient, 250],
    }),
    gas: 10_000_000,
  },
  { from: owner, data: bytecode("mocks/MockStablecoin.sol/MockStablecoin.json"), gas: 5_000_000 },
  { from: owner, to: escrow, data: escrowCall("setTokenAllowed", [usd, true]) },
  { from: merchant, to: escrow, data: escrowCall("registerMerchant", [payout, "Bench Bistro"]) },
]);
const now = Number(BigInt((await rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false])).timestamp));
const grid = now - (now % HOUR);
const terms = (token: Address, depositPerSeat: bigint) => ({
  token,
  depositPerSeat,
  seatsPerSlot: 65_535,
  slotLength: HOUR,
  firstSlotStart: grid,
  minLeadTime: HOUR,
  maxAdvance: 90 * DAY,
  noShowRefundBps: 2_000,
  disputeWindow: HOUR,
  arbiter,
  arbiterTimeout: HOUR,
  checkInRule: CheckInRule.MerchantWord,
  maxFeeBps: MAX_FEE_BPS,
  cancellationTiers: [
    { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
    { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
  ],
  metadata: "bench",
});
const ETH_DEPOSIT = 10n ** 15n + 7n;
const usdCall = (functionName: "mint" | "approve", args: unknown[]) =>
  encodeFunctionData({ abi: mockStablecoinAbi, functionName, args: args as never });
// Offerings in pairs (ETH, stablecoin), one pair per PER_OFFERING bookings of a round, so that no slot fills up.
const pairs = Math.ceil(N / 2 / PER_OFFERING) + 1;
await sendAll([
  ...Array.from({ length: pairs }, () => [
    { from: merchant, to: escrow, data: escrowCall("createOffering", [terms(zeroAddress, ETH_DEPOSIT)]) },
    { from: merchant, to: escrow, data: escrowCall("createOffering", [terms(usd, 12_345_679n)]) },
  ]).flat(),
  ...customers.flatMap((c) => [
    { from: c, to: usd, data: usdCall("mint", [c, 10n ** 15n]) },
    { from: c, to: usd, data: usdCall("approve", [escrow, maxUint256]) },
  ]),
]);

const setTime = async (t: number) => {
  await rpc("evm_setNextBlockTimestamp", [t]);
  await rpc("evm_mine");
};

/** `count` bookings in a slot four days after `start`, each taken to its outcome: by its number in its slot, 0
 *  customer cancel, 1 merchant cancel, 2 fulfilled, 3 no-show, 4 resolved, 5 the arbiter timed out, 6 still open.
 *  Returns the time after the last transaction. */
async function seedRound(first: number, count: number, start: number): Promise<number> {
  const slot = start - (start % HOUR) + 4 * DAY;
  const bookings: { id: bigint; customer: Address; outcome: number }[] = [];
  const numbers = new Map<number, number>();
  const books: Tx[] = [];
  for (let i = first; i < first + count; i++) {
    const eth = i % 2 === 0;
    const seats = 1 + (i % 3);
    const offeringId = 1 + 2 * Math.floor((i - first) / 2 / PER_OFFERING) + (eth ? 0 : 1);
    const n = (numbers.get(offeringId) ?? 0) + 1;
    numbers.set(offeringId, n);
    const customer = customers[i % customers.length];
    books.push({
      from: customer,
      to: escrow,
      data: escrowCall("book", [offeringId, slot, seats, toHex(i, { size: 32 })]),
      value: eth ? ETH_DEPOSIT * BigInt(seats) : 0n,
    });
    // The id the escrow gives it (offering, slot, number in the slot): no need to read it back.
    bookings.push({ id: (BigInt(offeringId) << 72n) | (BigInt(slot) << 32n) | BigInt(n), customer, outcome: n % 7 });
  }
  await sendAll(books);
  const of = (k: number) => bookings.filter((b) => b.outcome === k);
  // 0: customer cancels (30 h before: 50 %); 1: merchant cancels.
  await setTime(slot - 30 * HOUR);
  await sendAll([
    ...of(0).map((b) => ({ from: b.customer, to: escrow, data: escrowCall("cancel", [b.id]) })),
    ...of(1).map((b) => ({ from: merchant, to: escrow, data: escrowCall("cancelByMerchant", [b.id]) })),
  ]);
  // 2: checked in on the merchant's word (from the slot's start), then fulfilled by the claim.
  await setTime(slot + 60);
  await sendAll(of(2).map((b) => ({ from: merchant, to: escrow, data: escrowCall("checkIn", [b.id]) })));
  // 4: disputed and resolved; 5: disputed, the arbiter times out, claimed as a no-show.
  await sendAll(
    [...of(4), ...of(5)].map((b) => ({
      from: b.customer,
      to: escrow,
      data: escrowCall("dispute", [b.id, "No table"]),
    })),
  );
  await sendAll(of(4).map((b) => ({ from: arbiter, to: escrow, data: escrowCall("resolve", [b.id, 3_333]) })));
  // Claims of 2, 3 (no-show) and 5, 200 a transaction; 6 stays open.
  await setTime(slot + 3 * HOUR + 1);
  const claimable = [...of(2), ...of(3), ...of(5)].map((b) => b.id);
  const claims: Tx[] = [];
  for (let i = 0; i < claimable.length; i += 200) {
    claims.push({
      from: merchant,
      to: escrow,
      data: escrowCall("claim", [claimable.slice(i, i + 200)]),
      gas: 14_000_000,
    });
  }
  await sendAll(claims, 2);
  await sendAll([{ from: feeRecipient, to: escrow, data: escrowCall("withdrawFees", [zeroAddress]) }]);
  return slot + 3 * HOUR + 2;
}

const proxy = await startCappedProxy(url);
const runs: Run[] = [];
let seedSeconds = 0;
let time = now;
for (const [first, count] of [
  [0, SMALL],
  [SMALL, N - SMALL],
]) {
  const t0 = performance.now();
  time = await seedRound(first, count, time);
  seedSeconds += (performance.now() - t0) / 1000;
  console.log(`Seeded ${first + count} bookings (${seedSeconds.toFixed(1)} s of seeding so far).`);
  const run = await verifyInChild(proxy.url, escrow);
  if (!run.ok) throw new Error("The audit found violations on a clean chain.");
  console.log(
    `Verified ${run.bookings} bookings (${run.events} events) in ${run.seconds.toFixed(2)} s: ` +
      `${Math.round(run.bookings / run.seconds)} bookings/s, ${run.rpcRequests} RPC requests, ` +
      `peak RSS ${run.peakRssMb} MB (heap in use at most ${run.peakHeapUsedMb} MB).`,
  );
  runs.push(run);
}
proxy.close();
const [small, large] = runs;
const bytesPerBooking = Math.round(((large.peakRssMb - small.peakRssMb) * 2 ** 20) / (large.bookings - small.bookings));
const secondsPerBooking = (large.seconds - small.seconds) / (large.bookings - small.bookings);
const MILLION = 1_000_000;
const extrapolated1M = {
  bookings: MILLION,
  peakRssMb: Math.round(large.peakRssMb + (bytesPerBooking * (MILLION - large.bookings)) / 2 ** 20),
  seconds: Math.round(large.seconds + secondsPerBooking * (MILLION - large.bookings)),
};
const out = {
  bookings: large.bookings,
  events: large.events,
  seconds: large.seconds,
  rpcRequests: large.rpcRequests,
  peakRssMb: large.peakRssMb,
  peakHeapUsedMb: large.peakHeapUsedMb,
  bytesPerBooking,
  small: {
    bookings: small.bookings,
    seconds: small.seconds,
    peakRssMb: small.peakRssMb,
    peakHeapUsedMb: small.peakHeapUsedMb,
  },
  seedSeconds: Math.round(seedSeconds),
  maxLogsPerResponse: MAX_LOGS,
  extrapolated1M,
};
console.log(
  `${bytesPerBooking} bytes per booking (${small.bookings} → ${large.bookings}); ` +
    `at 1,000,000 bookings about ${extrapolated1M.peakRssMb} MB and ${extrapolated1M.seconds} s.`,
);
mkdirSync(path.join(root, "bench"), { recursive: true });
writeFileSync(path.join(root, "bench/audit.json"), JSON.stringify(out, null, 2) + "\n");
await node.stop();
process.exit(0);
