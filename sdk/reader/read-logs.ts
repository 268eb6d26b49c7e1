// The escrow's logs in block ranges that adapt to what the provider accepts: a range it refuses as too large is
// halved and its size never asked for again, and after each success the range grows back towards that limit. A
// range refused for holding too many logs is halved too, but only the log cap is remembered: the next ranges are
// sized by the logs per block just seen, since a busy stretch of history says nothing about a quiet one. No Node
// APIs.
import { numberToHex, type Address, type Hex } from "viem";
import { RpcRequestError, type ReadErrorType } from "./errors.js";
import { isRangeTooLarge, isTooManyLogs, logCapOf, type Rpc } from "./rpc.js";

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

/** The block range of the next `eth_getLogs` and the largest one the provider has not refused. Pass the same one to
 *  several reads (a follower's steps, a second scan) so that each starts from what the last one learnt. */
export type LogRange = {
  blocks: bigint;
  limit: bigint;
  /** The most logs the provider returns in one answer, once a refusal has named it. */
  maxLogs?: number;
};

export function createLogRange({
  initial = 100_000,
  limit = 1_000_000,
}: { initial?: number; limit?: number } = {}): LogRange {
  return { blocks: BigInt(Math.max(1, Math.min(initial, limit))), limit: BigInt(limit) };
}

export type ReadLogsParameters = {
  address: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** Topic filter, as `eth_getLogs` takes it (e.g. one event and an indexed argument). */
  topics?: (Hex | Hex[] | null)[];
  /** The adaptive range to start from (and to update); a fresh one of `initialChunk` blocks when omitted. */
  range?: LogRange;
  /** First range in blocks when no `range` is given. */
  initialChunk?: number;
  onProgress?: Progress;
};

export type ReadLogsReturnType = RawLog[];
export type ReadLogsErrorType = ReadErrorType;

/** All logs of `address` (matching `topics`, when given) in [fromBlock, toBlock], without removed ones. */
export async function readLogs(rpc: Rpc, parameters: ReadLogsParameters): Promise<ReadLogsReturnType> {
  const logs: RawLog[] = [];
  for await (const page of readLogPages(rpc, parameters)) logs.push(...page);
  return logs;
}

/** The same logs page by page (one `eth_getLogs` answer each), in block order, so that a long history can be
 *  processed without holding all of it. */
export async function* readLogPages(
  rpc: Rpc,
  { address, fromBlock, toBlock, topics, range, initialChunk, onProgress }: ReadLogsParameters,
): AsyncGenerator<RawLog[]> {
  range ??= createLogRange({ initial: initialChunk });
  const total = Number(toBlock - fromBlock + 1n);
  let from = fromBlock;
  while (from <= toBlock) {
    const to = from + range.blocks - 1n < toBlock ? from + range.blocks - 1n : toBlock;
    let part: RawLog[];
    try {
      part = await rpc.call<RawLog[]>("eth_getLogs", [
        { address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) },
      ]);
    } catch (e) {
      if (e instanceof RpcRequestError && isTooManyLogs(e) && to > from) {
        range.maxLogs = logCapOf(e) ?? range.maxLogs;
        range.blocks = (to - from + 1n) / 2n;
        continue;
      }
      if (e instanceof RpcRequestError && isRangeTooLarge(e) && to > from) {
        // Never ask for this size again: the provider's limit is below it.
        range.limit = to - from;
        range.blocks = (to - from + 1n) / 2n;
        continue;
      }
      throw e;
    }
    // Double while that stays within the limit; near it, close half the gap, so that the sizes tried converge on
    // the provider's limit in a few refusals rather than one refusal per block.
    let next =
      range.blocks * 2n <= range.limit ? range.blocks * 2n : range.blocks + (range.limit - range.blocks + 1n) / 2n;
    if (range.maxLogs !== undefined && part.length > 0) {
      // Aim at three quarters of the cap at the logs per block just seen, so that most answers fit.
      const fit = ((to - from + 1n) * BigInt(Math.floor(range.maxLogs * 0.75))) / BigInt(part.length);
      next = fit < 1n ? 1n : fit < next ? fit : next;
    }
    range.blocks = next;
    from = to + 1n;
    onProgress?.("logs", Number(from - fromBlock), total);
    yield part.filter((l) => !l.removed);
  }
}
