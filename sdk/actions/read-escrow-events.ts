// The escrow's events for the merchant console: read through the sdk's reader (adaptive block ranges), kept in a
// cache the caller provides (IndexedDB in the browser), and extended with only the blocks since the last read. A
// cache whose last block is no longer on the chain (a reorganisation, a reset local chain) is dropped.
import type { Address, Hex } from "viem";
import { decodeLogs } from "../reader/decode-logs.js";
import type { ReadErrorType } from "../reader/errors.js";
import { readCachedLogs, type LogCache } from "../reader/log-cache.js";
import type { Rpc } from "../reader/rpc.js";
import type { EscrowEvent } from "../types.js";

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

export type ReadEscrowEventsErrorType = ReadErrorType;

type Header = { number: Hex; hash: Hex };

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
  const { logs, timestamps, fetchedBlocks } = await readCachedLogs(rpc, {
    chainId,
    escrow,
    fromBlock,
    toBlock,
    toBlockHash: latest.hash,
    cache,
    initialChunk,
  });
  return { events: decodeLogs(logs, timestamps), toBlock, fetchedBlocks };
}
