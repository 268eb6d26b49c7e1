// The Earnest auditor: `audit()` reads the chain and runs `verify()`; both work in a browser and in Node.
import { numberToHex, parseEventLogs, type Address, type Hex, type Log } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import { deployments } from "../generated/deployments.js";
import { BlockRangeError, NoContractError } from "./errors.js";
import { readCachedLogs, type LogCache } from "./log-cache.js";
import { findDeployBlock, readChainState, type Progress, type RawLog } from "./reader.js";
import { buildReport, type Report } from "./report.js";
import { createRpc, type Eip1193, type Rpc, type RpcOptions } from "./rpc.js";
import type { EscrowEvent, Verification } from "./types.js";
import { verify } from "./verify.js";

export * from "./errors.js";
export * from "./types.js";
export { findingTexts, findingMessage, type FindingText } from "./finding-text.js";
export { verify, compareEvents, sortFindings } from "./verify.js";
export { buildReport, bookingsCsv, canonicalJson, digestOf, type Report, type ReportMeta } from "./report.js";
export { createRpc, isRangeTooLarge, type Rpc, type RpcCall, type RpcOptions, type Eip1193 } from "./rpc.js";
export { readLogs, readChainState, readTimestamps, findDeployBlock, type RawLog, type Progress } from "./reader.js";

export { readCachedLogs, type CacheData, type LogCache } from "./log-cache.js";

export type AuditOptions = {
  rpc: string | Eip1193 | Rpc;
  escrow: Address;
  fromBlock?: bigint;
  toBlock?: bigint;
  cache?: LogCache;
  onProgress?: Progress;
  rpcOptions?: RpcOptions;
  /** Log chunk sizes, see `readLogs`. */
  initialChunk?: number;
};

export type AuditResult = Report & { verification: Verification; rpcRequests: number; cachedBlocks: number };

type Header = { number: Hex; hash: Hex; timestamp: Hex };

function isRpc(x: unknown): x is Rpc {
  return typeof x === "object" && x !== null && "batch" in x && "call" in x;
}

/** Turns raw logs into decoded escrow events, in chain order. */
export function decodeLogs(logs: RawLog[], timestamps: Map<bigint, number>): EscrowEvent[] {
  const parsed = parseEventLogs({
    abi: earnestEscrowAbi,
    logs: logs.map((l) => ({
      ...l,
      blockNumber: BigInt(l.blockNumber),
      logIndex: Number(l.logIndex),
      transactionIndex: Number(l.transactionIndex),
      removed: false,
    })) as unknown as Log[],
  });
  return parsed.map((l) => {
    const raw = l as unknown as { blockTimestamp?: Hex };
    const ts = raw.blockTimestamp ? Number(BigInt(raw.blockTimestamp)) : timestamps.get(l.blockNumber);
    return {
      eventName: l.eventName,
      args: l.args,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      transactionHash: l.transactionHash,
      ...(ts === undefined ? {} : { blockTimestamp: ts }),
    } as EscrowEvent;
  });
}

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const rpc = isRpc(options.rpc) ? options.rpc : createRpc(options.rpc, options.rpcOptions);
  const escrow = options.escrow.toLowerCase() as Address;
  const [chainIdHex, latestHex] = await rpc.batch<Hex>([
    { method: "eth_chainId", params: [] },
    { method: "eth_blockNumber", params: [] },
  ]);
  const chainId = Number(BigInt(chainIdHex));
  const latest = BigInt(latestHex);
  const toBlock = options.toBlock ?? latest;
  if (toBlock > latest) throw new BlockRangeError(`Block ${toBlock} does not exist yet: the chain is at ${latest}.`);
  const [anchorHeader, code] = await rpc.batch<unknown>([
    { method: "eth_getBlockByNumber", params: [numberToHex(toBlock), false] },
    { method: "eth_getCode", params: [escrow, numberToHex(toBlock)] },
  ]);
  const anchor = anchorHeader as Header | null;
  if (!anchor) throw new BlockRangeError(`Block ${toBlock} is not available from this RPC.`);
  if (!code || code === "0x") throw new NoContractError(options.escrow, toBlock);

  const known = (deployments as Record<string, Record<string, { address: string; deployBlock: number }>>)[
    String(chainId)
  ]?.EarnestEscrow;
  let deployBlock: bigint | undefined;
  if (known && known.address.toLowerCase() === escrow) deployBlock = BigInt(known.deployBlock);
  else deployBlock = await findDeployBlock(rpc, escrow, toBlock).catch(() => undefined);
  const fromBlock = options.fromBlock ?? deployBlock ?? 0n;
  if (fromBlock > toBlock) throw new BlockRangeError(`The range is empty: from ${fromBlock} is after to ${toBlock}.`);
  const complete = deployBlock === undefined ? fromBlock === 0n : fromBlock <= deployBlock;

  const { logs, timestamps, cachedBlocks } = await readCachedLogs(rpc, {
    chainId,
    escrow,
    fromBlock,
    toBlock,
    toBlockHash: anchor.hash,
    cache: options.cache,
    initialChunk: options.initialChunk,
    onProgress: options.onProgress,
  });
  const events = decodeLogs(logs, timestamps);
  // A first pass without the chain state names the bookings, tokens and credits to read.
  const rebuilt = verify(events, null, { complete });
  let state = null;
  if (complete) {
    const tokens = rebuilt.tokens.map((t) => t.token);
    const creditKeys = new Set<string>();
    for (const e of events) {
      if (e.eventName === "Credited" || e.eventName === "CreditWithdrawn") {
        creditKeys.add(`${e.args.token.toLowerCase()}:${e.args.account.toLowerCase()}`);
      }
    }
    state = await readChainState(rpc, escrow, toBlock, [...rebuilt.bookings.keys()], tokens, [...creditKeys].sort(), {
      onProgress: options.onProgress,
    });
  }
  const verification = state ? verify(events, state, { complete }) : rebuilt;
  const report = buildReport(
    {
      chainId,
      escrow,
      fromBlock,
      toBlock,
      anchor: { number: BigInt(anchor.number), hash: anchor.hash },
      complete,
    },
    verification,
  );
  return { ...report, verification, rpcRequests: rpc.requests, cachedBlocks };
}
