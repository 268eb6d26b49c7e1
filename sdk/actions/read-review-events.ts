// The reviews contract's events (contracts/VerifiedReviews.sol), decoded and stamped with their block times: what
// `readReviews` joins for readers and what the auditor checks one by one.
import { encodeEventTopics, numberToHex, parseEventLogs, type Address, type Hex } from "viem";
import { verifiedReviewsAbi } from "../generated/abis.js";
import { viemLogs } from "../reader/decode-logs.js";
import type { ReadErrorType } from "../reader/errors.js";
import { readBlockHeaders } from "../reader/read-blocks.js";
import { readLogs, type RawLog } from "../reader/read-logs.js";
import type { Rpc } from "../reader/rpc.js";

type Position = { blockNumber: bigint; logIndex: number; transactionHash: Hex; /** Unix seconds. */ timestamp: number };

export type ReviewedEvent = Position & {
  bookingId: bigint;
  offeringId: number;
  customer: Address;
  rating: number;
  text: string;
};

export type AnsweredEvent = Position & { bookingId: bigint; merchant: Address; text: string };

export type ReadReviewEventsParameters = {
  /** The VerifiedReviews contract. */
  reviews: Address;
  /** Where to start reading: its deployment block, or any block before it. */
  fromBlock: bigint;
  /** The last block to read; the latest when omitted. */
  toBlock?: bigint;
  /** Only reviews of these offerings (answers are read for all); every review when omitted. */
  offeringIds?: readonly number[];
  initialChunk?: number;
};

export type ReadReviewEventsReturnType = { reviewed: ReviewedEvent[]; answered: AnsweredEvent[]; toBlock: bigint };
export type ReadReviewEventsErrorType = ReadErrorType;

function decode(logs: readonly RawLog[]) {
  return parseEventLogs({ abi: verifiedReviewsAbi, logs: viemLogs(logs) });
}

/** `Reviewed` and `Answered` events in [fromBlock, toBlock], each in chain order. */
export async function readReviewEvents(
  rpc: Rpc,
  { reviews: address, fromBlock, toBlock, offeringIds, initialChunk }: ReadReviewEventsParameters,
): Promise<ReadReviewEventsReturnType> {
  const to = toBlock ?? BigInt(await rpc.call<Hex>("eth_blockNumber", []));
  const [reviewedTopic] = encodeEventTopics({ abi: verifiedReviewsAbi, eventName: "Reviewed" });
  const [answeredTopic] = encodeEventTopics({ abi: verifiedReviewsAbi, eventName: "Answered" });
  const offeringTopics = offeringIds?.map((id) => numberToHex(id, { size: 32 }));
  const range = { address, fromBlock, toBlock: to, initialChunk };
  const [reviewLogs, answerLogs] = await Promise.all([
    readLogs(rpc, { ...range, topics: offeringTopics ? [reviewedTopic, null, offeringTopics] : [reviewedTopic] }),
    readLogs(rpc, { ...range, topics: [answeredTopic] }),
  ]);
  const reviewLogsDecoded = decode(reviewLogs);
  const answerLogsDecoded = decode(answerLogs);
  const blocks = [...new Set([...reviewLogsDecoded, ...answerLogsDecoded].map((l) => l.blockNumber))];
  const headers = await readBlockHeaders(rpc, blocks);
  const position = (l: { blockNumber: bigint; logIndex: number; transactionHash: Hex }): Position => ({
    blockNumber: l.blockNumber,
    logIndex: l.logIndex,
    transactionHash: l.transactionHash,
    timestamp: headers.get(l.blockNumber)?.timestamp ?? 0,
  });
  const reviewed: ReviewedEvent[] = [];
  for (const l of reviewLogsDecoded) if (l.eventName === "Reviewed") reviewed.push({ ...position(l), ...l.args });
  const answered: AnsweredEvent[] = [];
  for (const l of answerLogsDecoded) if (l.eventName === "Answered") answered.push({ ...position(l), ...l.args });
  return { reviewed, answered, toBlock: to };
}
