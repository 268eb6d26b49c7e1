// The Earnest auditor: `audit()` reads the chain through the sdk's reader and runs the verifier; both work in a
// browser and in Node.
import { encodeFunctionData, numberToHex, type Address } from "viem";
import { readReviewEvents } from "../actions/read-review-events.js";
import { verifiedReviewsAbi } from "../generated/abis.js";
import { deployments } from "../generated/deployments.js";
import { BookingStatus } from "../generated/enums.js";
import { decodeLogs } from "../reader/decode-logs.js";
import { NoContractError, RpcRequestError, type ReadErrorType, type NoContractErrorType } from "../reader/errors.js";
import { readHistory, type HistoryCache, type HistoryCounts } from "../reader/log-cache.js";
import { findDeployBlock } from "../reader/read-blocks.js";
import { readTransactionParties } from "../reader/read-transactions.js";
import type { Progress } from "../reader/read-logs.js";
import { createRpc, type Eip1193, type Rpc, type RpcOptions } from "../reader/rpc.js";
import type { EscrowEvent } from "../types.js";
import { readBookingViews, readChainState } from "./chain-state.js";
import {
  BlockRangeError,
  type BlockRangeErrorType,
  type MalformedResponseErrorType,
  MalformedResponseError,
  NotEarnestReviewsError,
  type NotEarnestEscrowErrorType,
  type NotEarnestReviewsErrorType,
} from "./errors.js";
import { reviewFindings } from "./reviews.js";
import { buildReport, type Report } from "./report.js";
import { identifyEscrow } from "./identify.js";
import { blockHeader, decodeResult, quantity } from "./shape.js";
import type { Verification } from "./types.js";
import {
  bookingViewFindings,
  concludeReplay,
  creditKeysOf,
  replayPage,
  sortFindings,
  startReplay,
  tokensOf,
} from "./verify.js";

export * from "./errors.js";
export * from "./types.js";
export { findingTexts, findingMessage, type FindingText } from "./finding-text.js";
export { verify, sortFindings, type VerifyOptions } from "./verify.js";
export {
  buildReport,
  bookingsCsv,
  canonicalJson,
  digestOf,
  summaryText,
  type Report,
  type ReportMeta,
} from "./report.js";
export { identifyEscrow, DEPLOYMENT_EVENTS, type EscrowIdentity, type IdentifyEscrowParameters } from "./identify.js";
export { blockHeader, decodeResult, hexData, quantity, word, type CheckedHeader } from "./shape.js";
export { reviewClosesAt, reviewFindings } from "./reviews.js";
export { formatTokenAmount, NATIVE_UNIT, readTokenUnits, type TokenUnit, type TokenUnits } from "./token-units.js";

export type AuditOptions = {
  rpc: string | Eip1193 | Rpc;
  escrow: Address;
  /** The VerifiedReviews contract beside the escrow, whose reviews are checked against their bookings; by default
   *  the one sdk/generated knows beside a known escrow. `null` skips the reviews. */
  reviews?: Address | null;
  fromBlock?: bigint;
  toBlock?: bigint;
  /** Where the logs are kept between runs, page by page (`historyCacheOf` makes one of a whole-history cache). */
  cache?: HistoryCache;
  onProgress?: Progress;
  rpcOptions?: RpcOptions;
  /** The first log range in blocks (then sized by the logs it held, see `readLogs`); FIRST_LOG_RANGE unless given. */
  initialChunk?: number;
};

/** Small: nothing is known yet of how busy the history is, and a provider without a cap would send a long busy
 *  history in one answer. The ranges after it grow quickly where the history is quiet. */
const FIRST_LOG_RANGE = 16;

export type AuditResult = Report & {
  verification: Verification;
  rpcRequests: number;
  cachedBlocks: number;
  /** Why the cache was not used (further): damaged, or not one this version reads; its blocks were read again. */
  cacheProblem?: string;
};

export type AuditErrorType =
  | ReadErrorType
  | NoContractErrorType
  | BlockRangeErrorType
  | NotEarnestEscrowErrorType
  | NotEarnestReviewsErrorType
  | MalformedResponseErrorType;

/** The events with `caller` set where a check needs it: on merchant cancellations (the merchant or its cancel staff
 *  must have called). A transaction's sender is the caller only when the transaction called the escrow directly;
 *  through a contract (a Safe, a batching wallet) the caller is that contract, which only a trace would show, and
 *  the event is left without one. */
async function withCallers(rpc: Rpc, escrow: Address, events: EscrowEvent[]): Promise<EscrowEvent[]> {
  const needed = (e: EscrowEvent) => e.eventName === "Settled" && e.args.outcome === BookingStatus.MerchantCancelled;
  const hashes = [...new Set(events.filter(needed).map((e) => e.transactionHash))];
  if (hashes.length === 0) return events;
  const parties = await readTransactionParties(rpc, hashes);
  return events.map((e) => {
    const tx = needed(e) ? parties.get(e.transactionHash) : undefined;
    return tx && tx.to?.toLowerCase() === escrow.toLowerCase() ? { ...e, caller: tx.from } : e;
  });
}

/** The reviews contract must be one of this escrow's: it has code and its `escrow()` is the escrow. */
async function requireReviewsOf(rpc: Rpc, reviews: Address, escrow: Address, blockNumber: bigint): Promise<void> {
  const block = numberToHex(blockNumber);
  const code = await rpc.call<unknown>("eth_getCode", [reviews, block]);
  if (!code || code === "0x") throw new NotEarnestReviewsError({ address: reviews, reason: "no contract there" });
  const data = encodeFunctionData({ abi: verifiedReviewsAbi, functionName: "escrow" });
  let named: Address;
  try {
    named = decodeResult(
      verifiedReviewsAbi,
      "escrow",
      await rpc.call<unknown>("eth_call", [{ to: reviews, data }, block]),
    );
  } catch (e) {
    // A revert or an answer that is not an address: another contract. A provider that cannot be reached is not.
    if (!(e instanceof RpcRequestError) && !(e instanceof MalformedResponseError)) throw e;
    throw new NotEarnestReviewsError({ address: reviews, reason: "it does not answer escrow()" });
  }
  if (named.toLowerCase() !== escrow) {
    throw new NotEarnestReviewsError({ address: reviews, reason: `it reviews the escrow at ${named}` });
  }
}

function isRpc(x: unknown): x is Rpc {
  return typeof x === "object" && x !== null && "batch" in x && "call" in x;
}

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const rpc = isRpc(options.rpc) ? options.rpc : createRpc(options.rpc, options.rpcOptions);
  const escrow = options.escrow.toLowerCase() as Address;
  const [chainIdHex, latestHex] = await rpc.batch<unknown>([
    { method: "eth_chainId", params: [] },
    { method: "eth_blockNumber", params: [] },
  ]);
  const chainId = Number(quantity(chainIdHex, "eth_chainId"));
  const latest = quantity(latestHex, "eth_blockNumber");
  const toBlock = options.toBlock ?? latest;
  if (toBlock > latest) throw new BlockRangeError(`Block ${toBlock} does not exist yet: the chain is at ${latest}.`);
  const [anchorHeader, code] = await rpc.batch<unknown>([
    { method: "eth_getBlockByNumber", params: [numberToHex(toBlock), false] },
    { method: "eth_getCode", params: [escrow, numberToHex(toBlock)] },
  ]);
  const anchor = blockHeader(anchorHeader, `block ${toBlock}`);
  if (!anchor) throw new BlockRangeError(`Block ${toBlock} is not available from this RPC.`);
  if (!code || code === "0x") throw new NoContractError({ address: options.escrow, chainId, blockNumber: toBlock });

  const onChain = (deployments as Record<string, Record<string, { address: Address; deployBlock: number }>>)[
    String(chainId)
  ];
  const known = onChain?.EarnestEscrow;
  const reviews =
    options.reviews === undefined
      ? known && known.address.toLowerCase() === escrow
        ? onChain?.VerifiedReviews?.address
        : undefined
      : (options.reviews ?? undefined);
  let deployBlock: bigint | undefined;
  if (known && known.address.toLowerCase() === escrow) deployBlock = BigInt(known.deployBlock);
  else deployBlock = await findDeployBlock(rpc, escrow, toBlock).catch(() => undefined);
  // Before any history is read: every later check takes the contract's answers at their word.
  await identifyEscrow(rpc, { escrow: options.escrow, chainId, blockNumber: toBlock, deployBlock });
  const fromBlock = options.fromBlock ?? deployBlock ?? 0n;
  if (fromBlock > toBlock) throw new BlockRangeError(`The range is empty: from ${fromBlock} is after to ${toBlock}.`);
  const complete = deployBlock === undefined ? fromBlock === 0n : fromBlock <= deployBlock;

  // The history page by page, each folded and dropped before the next is read; the state names the bookings,
  // tokens, credits and staff whose views to compare.
  const replay = startReplay({ complete, now: anchor.timestamp });
  const counts: HistoryCounts = { cachedBlocks: 0 };
  const pages = readHistory(
    rpc,
    {
      chainId,
      escrow,
      fromBlock,
      toBlock,
      toBlockHash: anchor.hash,
      cache: options.cache,
      initialChunk: options.initialChunk ?? FIRST_LOG_RANGE,
      onProgress: options.onProgress,
    },
    counts,
  );
  for await (const { logs, timestamps } of pages) {
    replayPage(replay, await withCallers(rpc, escrow, decodeLogs(logs, timestamps)));
  }
  const chainState = complete
    ? await readChainState(rpc, {
        escrow,
        blockNumber: toBlock,
        tokens: tokensOf(replay.state),
        creditKeys: creditKeysOf(replay),
        staffPairs: [...replay.staffPairs].sort(),
        onProgress: options.onProgress,
      })
    : null;
  const verification = concludeReplay(replay, chainState);
  if (chainState) {
    // The bookings' views a chunk at a time, each compared and dropped.
    const { bookings } = verification;
    const views = readBookingViews(rpc, {
      escrow,
      blockNumber: toBlock,
      bookingIds: bookings.keys(),
      total: bookings.size,
      onProgress: options.onProgress,
    });
    const viewFindings = [];
    for await (const { ids, views: chunk } of views) {
      const byId = new Map(chunk.map((v) => [v.bookingId, v]));
      for (const id of ids) viewFindings.push(...bookingViewFindings(bookings.get(id)!, byId.get(id)));
    }
    verification.findings = sortFindings([...viewFindings, ...verification.findings]);
    // The known reviews contract is a default, not a claim: on a chain redeployed since (a local one) it may be
    // another contract, and then there are no reviews to check. One named on purpose must be this escrow's.
    const reviewsOfEscrow =
      reviews &&
      (await requireReviewsOf(rpc, reviews, escrow, toBlock).then(
        () => true,
        (e: unknown) => {
          if (options.reviews === undefined && e instanceof NotEarnestReviewsError) return false;
          throw e;
        },
      ));
    if (reviews && reviewsOfEscrow) {
      // Reviews are few beside bookings (one per fulfilled visit at most): read whole, checked against the fold.
      const events = await readReviewEvents(rpc, { reviews, fromBlock, toBlock, initialChunk: options.initialChunk });
      verification.reviews = {
        contract: reviews.toLowerCase() as Address,
        reviews: events.reviewed.length,
        answers: events.answered.length,
      };
      verification.findings = sortFindings([...verification.findings, ...reviewFindings(events, verification)]);
    }
  }
  const report = buildReport(
    {
      chainId,
      escrow,
      fromBlock,
      toBlock,
      anchor,
      complete,
    },
    verification,
  );
  return {
    ...report,
    verification,
    rpcRequests: rpc.requests,
    cachedBlocks: counts.cachedBlocks,
    ...(counts.cacheProblem === undefined ? {} : { cacheProblem: counts.cacheProblem }),
  };
}
