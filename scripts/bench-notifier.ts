// `npm run bench:notifier`: pushes 5,000 Booked events through the notifier to a local receiver.
// Live phase: the notifier follows while the bookings are mined (100 a block); latency is from the moment a block
// was mined to the delivery of its events at the receiver (p50Ms, p99Ms), and perSecond is the live rate from the
// first block mined to the last delivery (capped by how fast the local chain mines). Replay phase, printed only: a
// second notifier with an empty database delivers the same 5,000 events from the backlog, which shows what the
// notifier can do when the chain is not the bottleneck. A Hardhat node and the notifier run as child processes,
// the receiver here. Writes bench/notifier.json: { deliveries, perSecond, p50Ms, p99Ms }.
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createPublicClient,
  encodeDeployData,
  encodeFunctionData,
  http,
  toHex,
  parseAbi,
  type Address,
  type Hex,
} from "viem";
import { earnestEscrowAbi } from "@earnest/sdk";
import { exitOnInterrupt, freePort, root, spawnGroup, startHardhatNode, waitFor } from "../test/support/processes.js";
import { terms } from "../test/support/terms.js";

const EVENTS = 5000;
const PER_BLOCK = 100;
// A Standard Webhooks secret (`whsec_` and base64); the bench receiver does not verify, it only counts.
const SECRET = `whsec_${Buffer.from("bench-secret-0123456789abcdef-32").toString("base64")}`;
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

exitOnInterrupt();
const { url: rpcUrl, rpc } = await startHardhatNode();

async function rpcBatch(calls: { method: string; params: unknown[] }[]): Promise<void> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }))),
  });
  const results = (await response.json()) as { error?: { message: string } }[];
  const failed = results.find((r) => r.error);
  if (failed) throw new Error(failed.error!.message);
}

const client = createPublicClient({ transport: http(rpcUrl), pollingInterval: 20 });
const [owner, feeRecipient, merchant, payout, customer] = await rpc<Address[]>("eth_accounts");

async function send(from: Address, to: Address | undefined, data: Hex, value = 0n) {
  const hash = await rpc<Hex>("eth_sendTransaction", [{ from, to, data, value: toHex(value) }]);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error("setup transaction reverted");
  return receipt;
}

// Setup: the escrow, a merchant and an offering with room for every booking in one slot.
const { bytecode } = JSON.parse(
  readFileSync(path.join(root, "artifacts/contracts/EarnestEscrow.sol/EarnestEscrow.json"), "utf8"),
) as { bytecode: Hex };
const deployReceipt = await send(
  owner,
  undefined,
  // The constructor is EarnestEscrow's own (the sdk's ABI is the whole surface at its address, which has none).
  encodeDeployData({
    abi: parseAbi(["constructor(address initialOwner, address feeRecipient, uint16 feeBps)"]),
    bytecode,
    args: [owner, feeRecipient, 250],
  }),
);
const escrow = deployReceipt.contractAddress!;
const call = (functionName: string, args: unknown[]) =>
  encodeFunctionData({ abi: earnestEscrowAbi, functionName: functionName as "book", args: args as never });
await send(merchant, escrow, call("registerMerchant", [payout, "Bench Bistro"]));
const now = Number((await client.getBlock()).timestamp);
const grid = now - (now % 3600);
const deposit = 10n ** 15n;
await send(
  merchant,
  escrow,
  // The tests' default terms (every field the contract takes), with room for every booking in one slot.
  call("createOffering", [
    terms(grid, {
      depositPerSeat: deposit,
      seatsPerSlot: 65_535,
      minLeadTime: 3600,
      maxAdvance: 90 * 86_400,
      noShowRefundBps: 0,
      disputeWindow: 86_400,
      cancellationTiers: [],
      metadata: "bench",
    }),
  ]),
);
const slot = grid + 3 * 86_400;

// The receiver: arrival time of each event's first delivery, per phase (the URL's path).
const arrivals = {
  live: new Map<string, { at: number; block: number }>(),
  replay: new Map<string, { at: number; block: number }>(),
};
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const at = performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id: string;
      blockNumber: number;
      event: { name: string };
    };
    const seen = req.url === "/replay" ? arrivals.replay : arrivals.live;
    if (body.event.name === "Booked" && !seen.has(body.id)) seen.set(body.id, { at, block: body.blockNumber });
    res.writeHead(200).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

// The notifier follows from the block after the setup, so that only the bookings are measured.
const dir = mkdtempSync(path.join(tmpdir(), "earnest-bench-"));
const fromBlock = Number(await client.getBlockNumber({ cacheTime: 0 })) + 1;

async function startNotifier(phase: "live" | "replay"): Promise<ChildProcess> {
  const config = path.join(dir, `${phase}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      rpc: rpcUrl,
      escrow,
      fromBlock,
      confirmations: 0,
      db: path.join(dir, `${phase}.db`),
      port: await freePort(),
      pollIntervalMs: 20,
      merchants: { [merchant]: { secret: SECRET, webhooks: [`${receiverUrl}/${phase}`] } },
      alerts: { bookingBurst: false },
      delivery: { concurrency: 32 },
    }),
  );
  const child = spawnGroup(process.execPath, ["--import", "tsx", "services/notifier/main.ts", "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  await waitFor(
    "the notifier",
    () => {
      if (child.exitCode !== null) throw new Error(`The notifier exited:\n${output}`);
      return output.includes('"msg":"started"');
    },
    30_000,
  );
  return child;
}

async function stopNotifier(child: ChildProcess): Promise<void> {
  // A clean stop: the notifier finishes what it is doing and closes its database.
  child.kill("SIGTERM");
  await Promise.race([new Promise((r) => child.once("exit", r)), new Promise((r) => setTimeout(r, 5000))]);
}

// Live: 100 bookings into the pool, mined as one block; the moment each block was mined is noted.
const live = await startNotifier("live");
await rpc("evm_setAutomine", [false]);
const minedAt = new Map<number, number>();
const data = call("book", [1, slot, 1, `0x${"ab".repeat(32)}`]);
let block = fromBlock - 1;
console.log(`Booking ${EVENTS} times, ${PER_BLOCK} per block, with the notifier following…`);
for (let sent = 0; sent < EVENTS; sent += PER_BLOCK) {
  const n = Math.min(PER_BLOCK, EVENTS - sent);
  await rpcBatch(
    Array.from({ length: n }, () => ({
      method: "eth_sendTransaction",
      params: [{ from: customer, to: escrow, data, value: toHex(deposit), gas: toHex(200_000) }],
    })),
  );
  await rpc("evm_mine");
  minedAt.set(++block, performance.now());
}
await waitFor(`${EVENTS} live deliveries`, () => arrivals.live.size >= EVENTS, 300_000);
await stopNotifier(live);
if (minedAt.size !== EVENTS / PER_BLOCK) throw new Error("Blocks are missing.");
const firstMined = Math.min(...minedAt.values());
const lastMined = Math.max(...minedAt.values());
const lastLive = Math.max(...[...arrivals.live.values()].map((a) => a.at));
const latencies = [...arrivals.live.values()].map((a) => a.at - minedAt.get(a.block)!).sort((a, b) => a - b);

// Replay: a second notifier with an empty database works through the same 5,000 events as a backlog. Live, the
// rate is capped by how fast the chain can mine them; this measures what the notifier itself can do.
const replayStart = performance.now();
const replay = await startNotifier("replay");
await waitFor(`${EVENTS} replayed deliveries`, () => arrivals.replay.size >= EVENTS, 300_000);
const lastReplay = Math.max(...[...arrivals.replay.values()].map((a) => a.at));
await stopNotifier(replay);

const result = {
  deliveries: arrivals.live.size,
  perSecond: Math.round(EVENTS / ((lastLive - firstMined) / 1000)),
  p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
  p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
};
const rate = (ms: number) => Math.round(EVENTS / (ms / 1000));
console.log(
  `live:   ${EVENTS} bookings mined in ${Math.round(lastMined - firstMined)} ms (${rate(lastMined - firstMined)}/s)`,
);
console.log(
  `        delivered ${arrivals.live.size} by ${Math.round(lastLive - firstMined)} ms after the first block (${rate(lastLive - firstMined)}/s)`,
);
console.log(`        latency block mined → delivered: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
console.log(
  `replay: ${arrivals.replay.size} delivered from a backlog in ${Math.round(lastReplay - replayStart)} ms, start-up included (${Math.round(EVENTS / ((lastReplay - replayStart) / 1000))}/s)`,
);
mkdirSync(path.join(root, "bench"), { recursive: true });
writeFileSync(path.join(root, "bench/notifier.json"), JSON.stringify(result, null, 2) + "\n");
console.log("Wrote bench/notifier.json", JSON.stringify(result));

receiver.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0); // the exit handler stops the node
