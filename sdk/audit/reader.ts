// Reads what the verifier needs from an RPC: the escrow's logs in adaptive chunks, block timestamps, and the
// views at the anchor block in batched calls. No Node APIs.
import {
  decodeFunctionResult,
  encodeFunctionData,
  erc20Abi,
  hexToBigInt,
  numberToHex,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { Rpc } from "./rpc.js";
import { isRangeTooLarge } from "./rpc.js";
import { RpcRequestError } from "./errors.js";
import type { BookingView, ChainState } from "./types.js";

/** A log as JSON-RPC returns it (hex strings): what the cache stores. */
export type RawLog = {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
  removed?: boolean;
  blockTimestamp?: Hex;
};

export type Progress = (phase: "logs" | "timestamps" | "views", done: number, total: number) => void;

export type LogReadOptions = {
  /** First chunk size in blocks; it halves when the provider refuses a range and grows again after successes. */
  initialChunk?: number;
  maxChunk?: number;
  /** Topic filter, as `eth_getLogs` takes it (e.g. one event and an indexed argument). */
  topics?: (Hex | Hex[] | null)[];
  onProgress?: Progress;
};

/** All logs of `address` (matching `topics`, when given) in [fromBlock, toBlock], in chunks that adapt to what the provider accepts. */
export async function readLogs(
  rpc: Rpc,
  address: Address,
  fromBlock: bigint,
  toBlock: bigint,
  options: LogReadOptions = {},
): Promise<RawLog[]> {
  let maxChunk = BigInt(options.maxChunk ?? 1_000_000);
  let chunk = BigInt(options.initialChunk ?? 100_000);
  const logs: RawLog[] = [];
  const total = Number(toBlock - fromBlock + 1n);
  let from = fromBlock;
  while (from <= toBlock) {
    const to = from + chunk - 1n < toBlock ? from + chunk - 1n : toBlock;
    try {
      const part = await rpc.call<RawLog[]>("eth_getLogs", [
        { address, topics: options.topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) },
      ]);
      logs.push(...part.filter((l) => !l.removed));
      from = to + 1n;
      chunk = chunk * 2n < maxChunk ? chunk * 2n : maxChunk;
      options.onProgress?.("logs", Number(from - fromBlock), total);
    } catch (e) {
      if (e instanceof RpcRequestError && isRangeTooLarge(e) && chunk > 1n) {
        // Never ask for this size again; the provider's limit is below it.
        maxChunk = to - from || 1n;
        chunk = (to - from + 1n) / 2n || 1n;
        continue;
      }
      throw e;
    }
  }
  return logs;
}

/** Timestamps of the given blocks, many per request. */
export async function readTimestamps(rpc: Rpc, blocks: bigint[], onProgress?: Progress): Promise<Map<bigint, number>> {
  const out = new Map<bigint, number>();
  const step = 100;
  for (let i = 0; i < blocks.length; i += step) {
    const slice = blocks.slice(i, i + step);
    const headers = await rpc.batch<{ timestamp: Hex } | null>(
      slice.map((b) => ({ method: "eth_getBlockByNumber", params: [numberToHex(b), false] })),
    );
    headers.forEach((h, j) => {
      if (h) out.set(slice[j], Number(hexToBigInt(h.timestamp)));
    });
    onProgress?.("timestamps", Math.min(i + step, blocks.length), blocks.length);
  }
  return out;
}

export type StateReadOptions = {
  /** Booking ids per `getBookings` call. */
  idsPerCall?: number;
  onProgress?: Progress;
};

/** The views at `block`: every booking (batched), balances, credits and fees owed per token. */
export async function readChainState(
  rpc: Rpc,
  escrow: Address,
  block: bigint,
  bookingIds: bigint[],
  tokens: Address[],
  creditKeys: string[],
  options: StateReadOptions = {},
): Promise<ChainState> {
  const tag = numberToHex(block);
  const ethCall = (data: Hex, to: Address = escrow) => ({ method: "eth_call", params: [{ to, data }, tag] });
  const idsPerCall = options.idsPerCall ?? 250;

  const bookingCalls = [];
  for (let i = 0; i < bookingIds.length; i += idsPerCall) {
    const ids = bookingIds.slice(i, i + idsPerCall);
    bookingCalls.push(ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getBookings", args: [ids] })));
  }
  const bookings = new Map<bigint, BookingView>();
  const chunk = 20;
  for (let i = 0; i < bookingCalls.length; i += chunk) {
    const results = await rpc.batch<Hex>(bookingCalls.slice(i, i + chunk));
    for (const data of results) {
      const views = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getBookings", data });
      for (const v of views) bookings.set(v.bookingId, { ...v });
    }
    options.onProgress?.("views", Math.min((i + chunk) * idsPerCall, bookingIds.length), bookingIds.length);
  }

  const calls = [
    ...tokens.map((t) =>
      t === zeroAddress
        ? { method: "eth_getBalance", params: [escrow, tag] }
        : ethCall(encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [escrow] }), t),
    ),
    ...tokens.map((t) => ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "feesOwed", args: [t] }))),
    ...creditKeys.map((k) => {
      const [t, a] = k.split(":") as [Address, Address];
      return ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "credits", args: [t, a] }));
    }),
  ];
  const results = await rpc.batch<Hex>(calls);
  const balances = new Map<Address, bigint>();
  const feesOwed = new Map<Address, bigint>();
  const credits = new Map<string, bigint>();
  tokens.forEach((t, i) => {
    balances.set(t, hexToBigInt(results[i]));
    feesOwed.set(t, hexToBigInt(results[tokens.length + i]));
  });
  creditKeys.forEach((k, i) => credits.set(k, hexToBigInt(results[2 * tokens.length + i])));
  return { bookings, balances, feesOwed, credits };
}

/** The first block with code at `address`, by bisection over `eth_getCode` (needs an archive node for old blocks). */
export async function findDeployBlock(rpc: Rpc, address: Address, latest: bigint): Promise<bigint> {
  let lo = 0n;
  let hi = latest;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    const code = await rpc.call<Hex>("eth_getCode", [address, numberToHex(mid)]);
    if (code && code !== "0x") hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}
