// The escrow's logs and their block timestamps over a block range, from a resumable cache where it still matches
// the chain and from the RPC for the rest. The cache is read and written page by page, so that a history of any
// length passes through in bounded memory; every page read back is checked, and a cache that is damaged part way is
// used up to the damage and the rest read from the RPC (never a wrong history). The auditor and the merchant
// console both read this way. No Node APIs.
import { numberToHex, type Address, type Hex } from "viem";
import { readBlockHeaders } from "./read-blocks.js";
import { readLogRanges, type Progress, type RawLog } from "./read-logs.js";
import type { Rpc } from "./rpc.js";

/** Which history a paged cache holds: the escrow's logs of [fromBlock, toBlock], and the hash of toBlock (to spot
 *  reorgs). Numbers are decimal strings. */
export type HistoryCacheHeader = {
  version: 2;
  chainId: number;
  escrow: string;
  fromBlock: string;
  toBlock: string;
  toBlockHash: Hex;
};

/** One page of a paged cache: the logs of [fromBlock, toBlock] and the times of their blocks (by decimal number). */
export type HistoryCachePage = {
  fromBlock: string;
  toBlock: string;
  logs: RawLog[];
  timestamps: Record<string, number>;
};

export type HistoryCacheWriter = {
  append(page: HistoryCachePage): Promise<void>;
  /** The pages appended become the cache (replacing the one loaded). */
  commit(): Promise<void>;
  /** The pages appended are dropped; the cache stays as it was. */
  abort(): Promise<void>;
};

/** What a cache holds: its header and its pages in the order they were appended (which may throw where one cannot
 *  be read). Checked before use, so typed unknown: a file or record may hold anything. */
export type SavedHistory = { header: unknown; pages: AsyncIterable<unknown> | Iterable<unknown> };

/** A cache read and written a page at a time. */
export type HistoryCache = {
  load(): Promise<SavedHistory | undefined>;
  create(header: HistoryCacheHeader): Promise<HistoryCacheWriter>;
};

/** What a whole-history cache holds: the raw logs of [fromBlock, toBlock] and the hash of toBlock. */
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

/** A cache loaded and saved as one record (IndexedDB in the browser): for histories that fit in memory. */
export type LogCache = { load(): Promise<CacheData | undefined>; save(data: CacheData): Promise<void> };

/** `cache` as a paged cache of one page: the history is gathered in memory and saved whole on commit. */
export function historyCacheOf(cache: LogCache): HistoryCache;
export function historyCacheOf(cache: LogCache | undefined): HistoryCache | undefined;
export function historyCacheOf(cache: LogCache | undefined): HistoryCache | undefined {
  if (!cache) return undefined;
  return {
    async load() {
      const data = await cache.load();
      if (!data) return undefined;
      const { logs, timestamps, ...header } = data;
      const page = { fromBlock: data.fromBlock, toBlock: data.toBlock, logs, timestamps };
      return { header: { ...header, version: header.version === 1 ? 2 : undefined }, pages: [page] };
    },
    create(header) {
      const logs: RawLog[] = [];
      const timestamps: Record<string, number> = {};
      return Promise.resolve({
        append(page) {
          for (const l of page.logs) logs.push(l);
          Object.assign(timestamps, page.timestamps);
          return Promise.resolve();
        },
        commit: () => cache.save({ ...header, version: 1, logs, timestamps }),
        abort: () => Promise.resolve(),
      });
    },
  };
}

export type ReadHistoryParameters = {
  chainId: number;
  escrow: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** The hash of `toBlock`, saved with the cache so that the next read can tell whether the chain moved under it. */
  toBlockHash: Hex;
  cache?: HistoryCache;
  /** First log range in blocks, see `readLogs`. */
  initialChunk?: number;
  onProgress?: Progress;
};

/** A page of the history: raw logs in block order and the times of their blocks. */
export type HistoryPage = { logs: RawLog[]; timestamps: Map<bigint, number> };

/** What `readHistory` says once its pages are all read: the blocks whose logs came from the cache, and why the
 *  cache was not used (further), if it was damaged or not one this version reads. */
export type HistoryCounts = { cachedBlocks: number; cacheProblem?: string };

type Header = { hash: Hex };

const isHex = (x: unknown): x is Hex => typeof x === "string" && /^0x[0-9a-fA-F]*$/.test(x);
const isDecimal = (x: unknown): x is string => typeof x === "string" && /^(0|[1-9]\d*)$/.test(x);

function headerOf(x: unknown): HistoryCacheHeader | undefined {
  const h = x as Partial<HistoryCacheHeader> | null;
  if (typeof h !== "object" || h === null || h.version !== 2) return undefined;
  if (typeof h.chainId !== "number" || typeof h.escrow !== "string" || !isHex(h.toBlockHash)) return undefined;
  if (!isDecimal(h.fromBlock) || !isDecimal(h.toBlock) || BigInt(h.fromBlock) > BigInt(h.toBlock)) return undefined;
  return h as HistoryCacheHeader;
}

/** `x` as the page that starts at `from`, or why it is not one: its range, and every log within it, in block
 *  order, with its block's time. */
function pageOf(x: unknown, from: bigint): { page: HistoryCachePage; to: bigint } | string {
  const p = x as Partial<HistoryCachePage> | null;
  if (typeof p !== "object" || p === null || !isDecimal(p.fromBlock) || !isDecimal(p.toBlock)) return "not a page";
  if (BigInt(p.fromBlock) !== from) return `a page starts at block ${p.fromBlock}`;
  const to = BigInt(p.toBlock);
  if (to < from || !Array.isArray(p.logs) || typeof p.timestamps !== "object" || p.timestamps === null) {
    return "not a page";
  }
  let last = from;
  for (const l of p.logs as unknown[]) {
    const log = l as Partial<RawLog> | null;
    if (typeof log !== "object" || log === null || !isHex(log.blockNumber)) return "a log without a block";
    const block = BigInt(log.blockNumber);
    if (block < last || block > to) return `a log of block ${block} out of order`;
    if (!isHex(log.blockTimestamp) && typeof p.timestamps[block.toString()] !== "number") {
      return `no time for block ${block}`;
    }
    last = block;
  }
  return { page: p as HistoryCachePage, to };
}

/** The history of [fromBlock, toBlock] page by page, for a reader that keeps only what it folds: first the pages
 *  of a cache that covers `fromBlock` and whose last block is still on the chain (no reorganisation, no reset local
 *  chain), then each `eth_getLogs` answer for the rest, with its blocks' times. With a cache, the pages are saved
 *  as they pass (a new cache of [fromBlock, toBlock], made the cache once the last page is read), unless the
 *  cache reaches further already. `counts` is set once the pages are all read. */
export async function* readHistory(
  rpc: Rpc,
  { chainId, escrow, fromBlock, toBlock, toBlockHash, cache, initialChunk, onProgress }: ReadHistoryParameters,
  counts: HistoryCounts = { cachedBlocks: 0 },
): AsyncGenerator<HistoryPage> {
  const escrowKey = escrow.toLowerCase();
  let saved: SavedHistory | undefined;
  try {
    saved = await cache?.load();
  } catch (e) {
    counts.cacheProblem = `the log cache cannot be read (${e instanceof Error ? e.message : String(e)})`;
  }
  let cachedTo: bigint | undefined;
  const header = saved ? headerOf(saved.header) : undefined;
  if (saved && !header) counts.cacheProblem = "the log cache is not one this version reads";
  if (
    header &&
    header.chainId === chainId &&
    header.escrow === escrowKey &&
    BigInt(header.fromBlock) <= fromBlock &&
    BigInt(header.toBlock) >= fromBlock
  ) {
    const last = await rpc.call<Header | null>("eth_getBlockByNumber", [numberToHex(BigInt(header.toBlock)), false]);
    if (last?.hash === header.toBlockHash) cachedTo = BigInt(header.toBlock);
  }

  const create = (c: HistoryCache) =>
    c.create({
      version: 2,
      chainId,
      escrow: escrowKey,
      fromBlock: fromBlock.toString(),
      toBlock: toBlock.toString(),
      toBlockHash,
    });
  // Never replace a cache that reaches further (an audit of an earlier range) with a shorter one.
  let writer = cache && !(cachedTo !== undefined && cachedTo >= toBlock) ? await create(cache) : undefined;
  let complete = false;
  try {
    let next = fromBlock;
    if (saved && header && cachedTo !== undefined) {
      const end = cachedTo < toBlock ? cachedTo : toBlock;
      for await (const page of cachedPages(saved.pages, header, fromBlock, end, counts)) {
        await writer?.append(cachePage(page));
        next = page.toBlock + 1n;
        yield { logs: page.logs, timestamps: page.timestamps };
      }
      if (counts.cacheProblem !== undefined && cache && !writer) {
        // A damaged cache that reaches far enough stays damaged unless written again: the pages before the damage
        // from a second reading, then the rest as it is read.
        writer = await create(cache);
        const again = await cache.load().catch(() => undefined);
        let copied = fromBlock;
        const quiet = { cachedBlocks: 0 };
        for await (const page of again ? cachedPages(again.pages, header, fromBlock, next - 1n, quiet) : []) {
          await writer.append(cachePage(page));
          copied = page.toBlock + 1n;
        }
        if (copied !== next) {
          await writer.abort();
          writer = undefined;
        }
      }
    }
    counts.cachedBlocks = Number(next - fromBlock);
    if (next <= toBlock) {
      const rest = { address: escrow, fromBlock: next, toBlock, initialChunk, onProgress };
      for await (const page of readLogRanges(rpc, rest)) {
        const timestamps = await readTimestamps(rpc, page.logs);
        await writer?.append(cachePage({ ...page, timestamps }));
        yield { logs: page.logs, timestamps };
      }
    }
    complete = true;
  } finally {
    // A reader that stops early (an error, a cancelled run) leaves the cache as it was.
    if (complete) await writer?.commit();
    else await writer?.abort();
  }
}

type BlockPage = { fromBlock: bigint; toBlock: bigint; logs: RawLog[]; timestamps: Map<bigint, number> };

/** The pages of a cache with `header` within [fromBlock, end], each checked and cut to that range; where one
 *  cannot be read or is not the page that should follow, they end and `counts.cacheProblem` says why. */
async function* cachedPages(
  saved: SavedHistory["pages"],
  header: HistoryCacheHeader,
  fromBlock: bigint,
  end: bigint,
  counts: HistoryCounts,
): AsyncGenerator<BlockPage> {
  const pages = Symbol.asyncIterator in saved ? saved[Symbol.asyncIterator]() : saved[Symbol.iterator]();
  try {
    let next = fromBlock;
    let expected = BigInt(header.fromBlock);
    while (next <= end) {
      let item: IteratorResult<unknown>;
      try {
        item = await pages.next();
      } catch (e) {
        counts.cacheProblem = `the log cache cannot be read from block ${next} (${e instanceof Error ? e.message : String(e)})`;
        return;
      }
      const checked = item.done ? `it ends before block ${expected}` : pageOf(item.value, expected);
      if (typeof checked === "string") {
        counts.cacheProblem = `the log cache is damaged from block ${next} (${checked})`;
        return;
      }
      expected = checked.to + 1n;
      if (checked.to < next) continue;
      const to = checked.to < end ? checked.to : end;
      const logs = checked.page.logs.filter((l) => BigInt(l.blockNumber) >= next && BigInt(l.blockNumber) <= to);
      const timestamps = new Map<bigint, number>();
      for (const l of logs) {
        const block = BigInt(l.blockNumber);
        if (!l.blockTimestamp) timestamps.set(block, checked.page.timestamps[block.toString()]);
      }
      yield { fromBlock: next, toBlock: to, logs, timestamps };
      next = to + 1n;
    }
  } finally {
    await pages.return?.();
  }
}

function cachePage({ fromBlock, toBlock, logs, timestamps }: BlockPage): HistoryCachePage {
  const times: Record<string, number> = {};
  for (const [block, time] of timestamps) times[block.toString()] = time;
  return { fromBlock: fromBlock.toString(), toBlock: toBlock.toString(), logs, timestamps: times };
}

export type ReadCachedLogsParameters = Omit<ReadHistoryParameters, "cache"> & { cache?: LogCache };

export type ReadCachedLogsReturnType = {
  logs: RawLog[];
  timestamps: Map<bigint, number>;
  /** Blocks whose logs came from the cache, and blocks read from the RPC. */
  cachedBlocks: number;
  fetchedBlocks: number;
};

/** The logs of [fromBlock, toBlock] and the timestamps of their blocks, all at once, through a whole-history
 *  cache (see `readHistory`). */
export async function readCachedLogs(
  rpc: Rpc,
  { cache, ...parameters }: ReadCachedLogsParameters,
): Promise<ReadCachedLogsReturnType> {
  const logs: RawLog[] = [];
  const timestamps = new Map<bigint, number>();
  const counts: HistoryCounts = { cachedBlocks: 0 };
  for await (const page of readHistory(rpc, { ...parameters, cache: historyCacheOf(cache) }, counts)) {
    for (const l of page.logs) logs.push(l);
    for (const [block, time] of page.timestamps) timestamps.set(block, time);
  }
  const blocks = Number(parameters.toBlock - parameters.fromBlock + 1n);
  return { logs, timestamps, cachedBlocks: counts.cachedBlocks, fetchedBlocks: blocks - counts.cachedBlocks };
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
