// The escrow's logs and their block timestamps over a block range, from a resumable cache where it still matches
// the chain and from the RPC for the rest. The auditor and the merchant console both read this way.
import { numberToHex, type Address, type Hex } from "viem";
import { readBlockHeaders } from "./read-blocks.js";
import { readLogPages, readLogs, type Progress, type RawLog } from "./read-logs.js";
import type { Rpc } from "./rpc.js";

/** What a resumable cache holds: the raw logs of [fromBlock, toBlock] and the hash of toBlock (to spot reorgs). */
export type CacheData = {
  version: 1;
  chainId: number;
  escrow: string;
  fromBlock: string;
  toBlock: string;
  toBlockHash: Hex;
  logs: RawLog[];
  timestamps: Record<string, number>;
};

export type LogCache = { load(): Promise<CacheData | undefined>; save(data: CacheData): Promise<void> };

export type ReadCachedLogsParameters = {
  chainId: number;
  escrow: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** The hash of `toBlock`, saved with the cache so that the next read can tell whether the chain moved under it. */
  toBlockHash: Hex;
  cache?: LogCache;
  /** First log range in blocks, see `readLogs`. */
  initialChunk?: number;
  onProgress?: Progress;
};

export type ReadCachedLogsReturnType = {
  logs: RawLog[];
  timestamps: Map<bigint, number>;
  /** Blocks whose logs came from the cache, and blocks read from the RPC. */
  cachedBlocks: number;
  fetchedBlocks: number;
};

type Header = { hash: Hex };

/** The logs of [fromBlock, toBlock] and the timestamps of their blocks. A cache is used when it covers `fromBlock`
 *  and its last block is still on the chain (no reorganisation, no reset local chain); otherwise it is replaced. */
export async function readCachedLogs(
  rpc: Rpc,
  { chainId, escrow, fromBlock, toBlock, toBlockHash, cache, initialChunk, onProgress }: ReadCachedLogsParameters,
): Promise<ReadCachedLogsReturnType> {
  const escrowKey = escrow.toLowerCase();
  let logs: RawLog[] = [];
  const timestamps = new Map<bigint, number>();
  let readFrom = fromBlock;
  const cached = await cache?.load();
  if (
    cached &&
    cached.version === 1 &&
    cached.chainId === chainId &&
    cached.escrow === escrowKey &&
    BigInt(cached.fromBlock) <= fromBlock &&
    BigInt(cached.toBlock) >= fromBlock
  ) {
    const cachedTo = BigInt(cached.toBlock);
    const header = await rpc.call<Header | null>("eth_getBlockByNumber", [numberToHex(cachedTo), false]);
    if (header?.hash === cached.toBlockHash) {
      const end = cachedTo < toBlock ? cachedTo : toBlock;
      logs = cached.logs.filter((l) => BigInt(l.blockNumber) >= fromBlock && BigInt(l.blockNumber) <= end);
      for (const [block, time] of Object.entries(cached.timestamps)) timestamps.set(BigInt(block), time);
      readFrom = end + 1n;
    }
  }
  if (readFrom <= toBlock) {
    logs.push(...(await readLogs(rpc, { address: escrow, fromBlock: readFrom, toBlock, initialChunk, onProgress })));
  }

  // Timestamps for the blocks with events, unless the provider put them in the logs.
  const missing = logs.filter((l) => !timestamps.has(BigInt(l.blockNumber)));
  for (const [block, time] of await readTimestamps(rpc, missing, onProgress)) timestamps.set(block, time);

  // Never replace a cache that reaches further (an audit of an earlier range) with a shorter one.
  if (cache && readFrom <= toBlock && (!cached || BigInt(cached.toBlock) <= toBlock)) {
    await cache.save({
      version: 1,
      chainId,
      escrow: escrowKey,
      fromBlock: fromBlock.toString(),
      toBlock: toBlock.toString(),
      toBlockHash,
      logs,
      timestamps: Object.fromEntries([...timestamps].map(([block, time]) => [block.toString(), time])),
    });
  }
  return {
    logs,
    timestamps,
    cachedBlocks: Number(readFrom - fromBlock),
    fetchedBlocks: readFrom <= toBlock ? Number(toBlock - readFrom + 1n) : 0,
  };
}

/** A page of the history: raw logs in block order and the times of their blocks. */
export type HistoryPage = { logs: RawLog[]; timestamps: Map<bigint, number> };

/** The history of [fromBlock, toBlock] page by page, for a reader that keeps only what it folds: without a cache
 *  each `eth_getLogs` answer is a page, with its blocks' times; with one, the cache needs the whole history, so it
 *  comes as one page. `cachedBlocks` is set once the pages are all read. */
export async function* readHistory(
  rpc: Rpc,
  parameters: ReadCachedLogsParameters,
  counts: { cachedBlocks: number } = { cachedBlocks: 0 },
): AsyncGenerator<HistoryPage> {
  if (parameters.cache) {
    const { logs, timestamps, cachedBlocks } = await readCachedLogs(rpc, parameters);
    counts.cachedBlocks = cachedBlocks;
    yield { logs, timestamps };
    return;
  }
  const { escrow, fromBlock, toBlock, initialChunk, onProgress } = parameters;
  for await (const logs of readLogPages(rpc, { address: escrow, fromBlock, toBlock, initialChunk, onProgress })) {
    yield { logs, timestamps: await readTimestamps(rpc, logs) };
  }
}

/** The times of the blocks of `logs` that do not carry one (the provider may put it in the log). */
async function readTimestamps(rpc: Rpc, logs: readonly RawLog[], onProgress?: Progress): Promise<Map<bigint, number>> {
  const missing = [...new Set(logs.filter((l) => !l.blockTimestamp).map((l) => BigInt(l.blockNumber)))];
  const timestamps = new Map<bigint, number>();
  for (const [block, header] of await readBlockHeaders(rpc, missing, onProgress)) {
    timestamps.set(block, header.timestamp);
  }
  return timestamps;
}
