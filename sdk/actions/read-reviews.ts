// Verified reviews (contracts/VerifiedReviews.sol) as readers show them: each review with its booking, rating, text,
// time and the merchant's answer.
import type { Address, Hex } from "viem";
import {
  readReviewEvents,
  type ReadReviewEventsErrorType,
  type ReadReviewEventsParameters,
} from "./read-review-events.js";
import type { Rpc } from "../reader/rpc.js";

/** A review as written on-chain, with the merchant's answer when there is one. */
export type Review = {
  bookingId: bigint;
  offeringId: number;
  customer: Address;
  /** 1 to 5. */
  rating: number;
  text: string;
  /** Block time of the review, Unix seconds. */
  reviewedAt: number;
  blockNumber: bigint;
  transactionHash: Hex;
  answer?: { merchant: Address; text: string; answeredAt: number };
};

export type ReadReviewsParameters = ReadReviewEventsParameters;
export type ReadReviewsReturnType = { reviews: Review[]; toBlock: bigint };
export type ReadReviewsErrorType = ReadReviewEventsErrorType;

/** Reviews in chain order (oldest first), each joined with its answer. The contract allows one review and one
 *  answer per booking; should a history hold more, the first counts. */
export async function readReviews(rpc: Rpc, parameters: ReadReviewsParameters): Promise<ReadReviewsReturnType> {
  const { reviewed, answered, toBlock } = await readReviewEvents(rpc, parameters);
  const answers = new Map<bigint, NonNullable<Review["answer"]>>();
  for (const a of answered) {
    if (!answers.has(a.bookingId))
      answers.set(a.bookingId, { merchant: a.merchant, text: a.text, answeredAt: a.timestamp });
  }
  const seen = new Set<bigint>();
  const reviews: Review[] = [];
  for (const r of reviewed) {
    if (seen.has(r.bookingId)) continue;
    seen.add(r.bookingId);
    const answer = answers.get(r.bookingId);
    reviews.push({
      bookingId: r.bookingId,
      offeringId: r.offeringId,
      customer: r.customer,
      rating: r.rating,
      text: r.text,
      reviewedAt: r.timestamp,
      blockNumber: r.blockNumber,
      transactionHash: r.transactionHash,
      ...(answer && { answer }),
    });
  }
  return { reviews, toBlock };
}

export type RatingSummary = { count: number; average: number | undefined };

/** Count and average rating (undefined when there are none). */
export function summarizeRatings(reviews: readonly Pick<Review, "rating">[]): RatingSummary {
  if (reviews.length === 0) return { count: 0, average: undefined };
  return { count: reviews.length, average: reviews.reduce((sum, r) => sum + r.rating, 0) / reviews.length };
}
