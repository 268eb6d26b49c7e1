// `npm run bench:audit [-- N]`: seeds a local Hardhat node with N bookings (10,000 by default) across every outcome
// (customer cancel, merchant cancel, fulfilled, no-show, resolved, arbiter timed out, still open), in ETH and a
// stablecoin, then runs the verifier against it over HTTP and prints the time, bookings and events per second and
// the RPC requests. Writes bench/audit.json: { bookings, events, seconds, rpcRequests }.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  encodeDeployData,
  encodeFunctionData,
  maxUint256,
  parseEventLogs,
  toHex,
  zeroAddress,
  parseAbi,
  type Address,
  type Hex,
  type Log,
} from "viem";
import { audit, createRpc, earnestEscrowAbi, mockStablecoinAbi } from "@earnest/sdk";
import { exitOnInterrupt, root, startHardhatNode } from "../test/support/processes.js";
import { sendBatched, type Tx } from "../test/support/send-batched.js";

const N = Number(process.argv[2] ?? process.env.BOOKINGS ?? 10_000);
const PER_BLOCK = 250;
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

const accounts = await rpc<Address[]>("eth_accounts");
const [owner, feeRecipient, merchant, payout, arbiter] = accounts;
const customers = accounts.slice(5, 15);
await rpc("evm_setAutomine", [false]);

console.log(`Seeding ${N} bookings…`);
const seedStart = performance.now();
const nonce0 = Number(BigInt(await rpc<Hex>("eth_getTransactionCount", [owner, "latest"])));
const { getContractAddress } = await import("viem");
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
const slot = grid + 4 * DAY;
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
  cancellationTiers: [
    { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
    { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
  ],
  metadata: "bench",
});
const usdCall = (functionName: "mint" | "approve", args: unknown[]) =>
  encodeFunctionData({ abi: mockStablecoinAbi, functionName, args: args as never });
await sendAll([
  { from: merchant, to: escrow, data: escrowCall("createOffering", [terms(zeroAddress, 10n ** 15n + 7n)]) },
  { from: merchant, to: escrow, data: escrowCall("createOffering", [terms(usd, 12_345_679n)]) },
  ...customers.flatMap((c) => [
    { from: c, to: usd, data: usdCall("mint", [c, 10n ** 15n]) },
    { from: c, to: usd, data: usdCall("approve", [escrow, maxUint256]) },
  ]),
]);

// Bookings: alternating ETH and stablecoin, 1–3 seats, spread over the customers.
const books: Tx[] = [];
for (let i = 0; i < N; i++) {
  const eth = i % 2 === 0;
  const seats = 1 + (i % 3);
  books.push({
    from: customers[i % customers.length],
    to: escrow,
    data: escrowCall("book", [eth ? 1 : 2, slot, seats, toHex(i, { size: 32 })]),
    value: eth ? (10n ** 15n + 7n) * BigInt(seats) : 0n,
  });
}
await sendAll(books);
const bookedLogs = await rpc<Log[]>("eth_getLogs", [{ address: escrow, fromBlock: "0x0", toBlock: "latest" }]);
const bookings = parseEventLogs({ abi: earnestEscrowAbi, eventName: "Booked", logs: bookedLogs }).map((l) => ({
  id: l.args.bookingId,
  customer: l.args.customer,
  outcome: Number(l.args.bookingId & 0xffffffffn) % 7,
}));
if (bookings.length !== N) throw new Error(`Expected ${N} bookings, found ${bookings.length}.`);
const of = (k: number) => bookings.filter((b) => b.outcome === k);
const setTime = async (t: number) => {
  await rpc("evm_setNextBlockTimestamp", [t]);
  await rpc("evm_mine");
};

// 0: customer cancels (30 h before: 50 %); 1: merchant cancels.
await setTime(slot - 30 * HOUR);
await sendAll([
  ...of(0).map((b) => ({ from: b.customer, to: escrow, data: escrowCall("cancel", [b.id]) })),
  ...of(1).map((b) => ({ from: merchant, to: escrow, data: escrowCall("cancelByMerchant", [b.id]) })),
]);
// 2: checked in, then fulfilled by the claim.
await setTime(slot - HOUR / 2);
await sendAll(of(2).map((b) => ({ from: merchant, to: escrow, data: escrowCall("checkIn", [b.id]) })));
// 4: disputed and resolved; 5: disputed, the arbiter times out, claimed as a no-show.
await setTime(slot + 60);
await sendAll([...of(4), ...of(5)].map((b) => ({ from: b.customer, to: escrow, data: escrowCall("dispute", [b.id]) })));
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
const seedSeconds = (performance.now() - seedStart) / 1000;
console.log(`Seeded in ${seedSeconds.toFixed(1)} s.`);

// The audit, over HTTP, as the command line runs it (no cache).
const client = createRpc(url);
const start = performance.now();
const result = await audit({ rpc: client, escrow });
const seconds = (performance.now() - start) / 1000;
if (!result.ok) throw new Error(`The audit found violations on a clean chain:\n${result.summary}`);
const out = {
  bookings: result.verification.bookings.size,
  events: result.verification.events,
  seconds: Math.round(seconds * 1000) / 1000,
  rpcRequests: result.rpcRequests,
};
console.log(result.summary);
console.log(
  `Verified ${out.bookings} bookings (${out.events} events) in ${seconds.toFixed(2)} s: ` +
    `${Math.round(out.bookings / seconds)} bookings/s, ${Math.round(out.events / seconds)} events/s, ` +
    `${out.rpcRequests} RPC requests.`,
);
mkdirSync(path.join(root, "bench"), { recursive: true });
writeFileSync(path.join(root, "bench/audit.json"), JSON.stringify(out, null, 2) + "\n");
process.exit(0);
