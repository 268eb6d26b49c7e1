// The escrow's logs in block ranges that adapt to what the provider accepts: a range it refuses as too large is
// halved and its size never asked for again, and after each success the range grows back towards that limit. A
// range refused for holding too many logs is halved too, but only the log cap is remembered. Every next range is
// sized by the logs per block just seen (a busy stretch of history says nothing about a quiet one), so that an
// answer stays within the cap and about PAGE_BYTES of JSON: a long history never arrives in one huge answer. No
// Node APIs.
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

/** About how much JSON one `eth_getLogs` answer should hold: big enough that requests stay few, small enough that
 *  a page is read, folded and dropped without growing the reader's memory. */
const PAGE_BYTES = 2 ** 20;

/** A log's size in an answer's JSON, about: its data and topics, and some 450 bytes of keys, hashes and numbers. */
const logBytes = (l: RawLog) => 450 + (l.data?.length ?? 0) + 70 * (l.topics?.length ?? 0);

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
  for await (const page of readLogRanges(rpc, parameters)) logs.push(...page.logs);
  return logs;
}

/** One page of `readLogRanges`: the logs of the blocks [fromBlock, toBlock]. */
export type LogRangePage = { fromBlock: bigint; toBlock: bigint; logs: RawLog[] };

/** The same logs page by page (one `eth_getLogs` answer each), in block order, each with the blocks it covers
 *  (together [fromBlock, toBlock], without a gap), so that a long history can be processed and saved without
 *  holding all of it. */
export async function* readLogRanges(
  rpc: Rpc,
  { address, fromBlock, toBlock, topics, range, initialChunk, onProgress }: ReadLogsParameters,
): AsyncGenerator<LogRangePage> {
  range ??= createLogRange({ initial: initialChunk });
  const total = Number(toBlock - fromBlock + 1n);
  const endOf = (from: bigint) => (from + range.blocks - 1n < toBlock ? from + range.blocks - 1n : toBlock);
  const ask = (from: bigint, to: bigint) =>
    rpc.call<RawLog[]>("eth_getLogs", [{ address, topics, fromBlock: numberToHex(from), toBlock: numberToHex(to) }]);
  // The next page is asked for before this one is handed over, so that the provider works while the caller folds.
  let ahead: { to: bigint; answer: Promise<RawLog[]> } | undefined;
  let from = fromBlock;
  while (from <= toBlock) {
    const to = ahead?.to ?? endOf(from);
    const answer = ahead?.answer ?? ask(from, to);
    ahead = undefined;
    let part: RawLog[];
    try {
      part = await answer;
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
    if (part.length > 0) {
      // At the logs per block just seen: about PAGE_BYTES, and three quarters of the cap, so that most answers fit.
      let bytes = 0;
      for (const l of part) bytes += logBytes(l);
      const blocks = to - from + 1n;
      let fit = (blocks * BigInt(PAGE_BYTES)) / BigInt(bytes);
      if (range.maxLogs !== undefined) {
        const capFit = (blocks * BigInt(Math.floor(range.maxLogs * 0.75))) / BigInt(part.length);
        if (capFit < fit) fit = capFit;
      }
      next = fit < 1n ? 1n : fit < next ? fit : next;
    }
    range.blocks = next;
    const pageFrom = from;
    from = to + 1n;
    if (from <= toBlock) {
      const end = endOf(from);
      ahead = { to: end, answer: ask(from, end) };
      // Awaited on the next turn; a caller that stops early leaves it unawaited, which must not crash the process.
      ahead.answer.catch(() => undefined);
    }
    onProgress?.("logs", Number(from - fromBlock), total);
    yield { fromBlock: pageFrom, toBlock: to, logs: part.filter((l) => !l.removed) };
  }
}
