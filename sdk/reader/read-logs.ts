// The escrow's logs in block ranges that adapt to what the provider accepts: a range it refuses as too large is
// halved and its size never asked for again, and after each success the range grows back towards that limit. No
// Node APIs.
import { numberToHex, type Address, type Hex } from "viem";
import { RpcRequestError, type ReadErrorType } from "./errors.js";
import { isRangeTooLarge, type Rpc } from "./rpc.js";

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
export type LogRange = { blocks: bigint; limit: bigint };

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
export async function readLogs(
  rpc: Rpc,
  { address, fromBlock, toBlock, topics, range, initialChunk, onProgress }: ReadLogsParameters,
): Promise<ReadLogsReturnType> {
  range ??= createLogRange({ initial: initialChunk });
  const logs: RawLog[] = [];
  const total = Number(toBlock - fromBlock + 1n);
  let from = fromBlock;
  while (from <= toBlock) {
    const to = from + range.blocks - 1n < toBlock ? from + range.blocks - 1n : toBlock;
    try {
      const part = await rpc.call<RawLog[]>("eth_getLogs", [
        { address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) },
      ]);
      logs.push(...part.filter((l) => !l.removed));
      from = to + 1n;
      // Double while that stays within the limit; near it, close half the gap, so that the sizes tried converge on
      // the provider's limit in a few refusals rather than one refusal per block.
      range.blocks =
        range.blocks * 2n <= range.limit ? range.blocks * 2n : range.blocks + (range.limit - range.blocks + 1n) / 2n;
      onProgress?.("logs", Number(from - fromBlock), total);
    } catch (e) {
      if (e instanceof RpcRequestError && isRangeTooLarge(e) && to > from) {
        // Never ask for this size again: the provider's limit is below it.
        range.limit = to - from;
        range.blocks = (to - from + 1n) / 2n;
        continue;
      }
      throw e;
    }
  }
  return logs;
}
