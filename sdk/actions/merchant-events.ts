// The escrow's events for the merchant console: fetched in adaptive block ranges (the auditor's reader), kept in a
// cache the caller provides (IndexedDB in the browser), and extended with only the blocks since the last read. A
// cache whose last block is no longer on the chain (a reorganisation, a reset local chain) is dropped.
import { numberToHex, type Address, type Hex } from "viem";
import { decodeLogs, type CacheData, type LogCache } from "../audit/index.js";
import { readLogs, readTimestamps, type RawLog } from "../audit/reader.js";
import type { Rpc } from "../audit/rpc.js";
import type { EscrowEvent } from "../audit/types.js";

export type ReadEscrowEventsParameters = {
  escrow: Address;
  /** The escrow's deployment block: nothing before it concerns Earnest. */
  fromBlock: bigint;
  cache?: LogCache;
  /** First log range in blocks, see `readLogs`. */
  initialChunk?: number;
};

export type ReadEscrowEventsReturnType = {
  events: EscrowEvent[];
  toBlock: bigint;
  /** Blocks read from the RPC this time (the rest came from the cache). */
  fetchedBlocks: number;
};

type Header = { number: Hex; hash: Hex };

async function usableCache(
  rpc: Rpc,
  cache: LogCache | undefined,
  expected: { chainId: number; escrow: string; fromBlock: bigint; latest: bigint },
): Promise<CacheData | undefined> {
  const cached = await cache?.load();
  if (
    !cached ||
    cached.version !== 1 ||
    cached.chainId !== expected.chainId ||
    cached.escrow !== expected.escrow ||
    BigInt(cached.fromBlock) !== expected.fromBlock ||
    BigInt(cached.toBlock) > expected.latest
  ) {
    return undefined;
  }
  const header = await rpc.call<Header | null>("eth_getBlockByNumber", [numberToHex(BigInt(cached.toBlock)), false]);
  return header?.hash === cached.toBlockHash ? cached : undefined;
}

/** Every escrow event from `fromBlock` to the latest block, decoded, with block timestamps. */
export async function readEscrowEvents(
  rpc: Rpc,
  { escrow, fromBlock, cache, initialChunk }: ReadEscrowEventsParameters,
): Promise<ReadEscrowEventsReturnType> {
  const [chainIdHex, latestHeader] = await rpc.batch<unknown>([
    { method: "eth_chainId", params: [] },
    { method: "eth_getBlockByNumber", params: ["latest", false] },
  ]);
  const chainId = Number(BigInt(chainIdHex as Hex));
  const latest = latestHeader as Header;
  const toBlock = BigInt(latest.number);
  const escrowKey = escrow.toLowerCase();

  const cached = await usableCache(rpc, cache, { chainId, escrow: escrowKey, fromBlock, latest: toBlock });
  const logs: RawLog[] = cached ? [...cached.logs] : [];
  const timestamps = new Map<bigint, number>(
    Object.entries(cached?.timestamps ?? {}).map(([block, time]) => [BigInt(block), time]),
  );
  const readFrom = cached ? BigInt(cached.toBlock) + 1n : fromBlock;
  if (readFrom <= toBlock) logs.push(...(await readLogs(rpc, escrow, readFrom, toBlock, { initialChunk })));

  const missing = [...new Set(logs.filter((l) => !l.blockTimestamp).map((l) => BigInt(l.blockNumber)))].filter(
    (block) => !timestamps.has(block),
  );
  for (const [block, time] of await readTimestamps(rpc, missing)) timestamps.set(block, time);

  if (readFrom <= toBlock) {
    await cache?.save({
      version: 1,
      chainId,
      escrow: escrowKey,
      fromBlock: fromBlock.toString(),
      toBlock: toBlock.toString(),
      toBlockHash: latest.hash,
      logs,
      timestamps: Object.fromEntries([...timestamps].map(([block, time]) => [block.toString(), time])),
    });
  }
  const fetchedBlocks = readFrom <= toBlock ? Number(toBlock - readFrom + 1n) : 0;
  return { events: decodeLogs(logs, timestamps), toBlock, fetchedBlocks };
}
