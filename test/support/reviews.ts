// The verified-reviews deployments the review tests start from (the escrow fixture plus a VerifiedReviews beside
// it), a booking brought to Fulfilled, when its review window closes (restated from SPEC §6), and what a successful
// review must do.
import assert from "node:assert/strict";
import type { ContractReturnType } from "@nomicfoundation/hardhat-viem/types";
import { getAddress, stringToBytes, type Address, type ContractErrorName, type Hash } from "viem";
import { MAX_REVIEW_TEXT_BYTES, settlesAt } from "@earnest/sdk";
import { book, type Booked, type Executor } from "./booking.js";
import { atTime, mined, txTimestamp } from "./chain.js";
import {
  DAY,
  deployWithOfferings,
  deployWithTwoMerchants,
  slotInDays,
  Status,
  TIMING,
  viem,
  type Fixture,
  type Wallet,
} from "./fixture.js";

export type Reviews = ContractReturnType<"VerifiedReviews">;
/** A custom error of VerifiedReviews, and its arguments. */
export type ReviewsError = ContractErrorName<Reviews["abi"]>;
export type ReviewsErrorArgs<E extends ReviewsError> = Parameters<
  typeof viem.assertions.revertWithCustomErrorWithArgs<Reviews, E>
>[3];

/** SPEC §6: a review may be written until 30 days after the booking settles at the latest. */
export const REVIEW_WINDOW = 30 * DAY;
/** The longest review or answer, in bytes (the SPEC says only "short"; the contract's figure, through the sdk). */
export const MAX_TEXT = MAX_REVIEW_TEXT_BYTES;

/** A text of exactly `bytes` bytes of UTF-8: as many `char` as fit, then ASCII to make up the rest. */
export function textOfBytes(bytes: number, char = "a"): string {
  const width = stringToBytes(char).length;
  const text = char.repeat(Math.floor(bytes / width)) + "a".repeat(bytes % width);
  assert.equal(stringToBytes(text).length, bytes);
  return text;
}

/** Deploys a VerifiedReviews reading `escrow`. */
export function deployReviews(escrow: Address): Promise<Reviews> {
  return viem.deployContract("VerifiedReviews", [escrow]);
}

/** The escrow fixture (offering 1: ETH, arbiter; offering 2: stablecoin, none) plus the reviews of its bookings. */
export async function deployWithReviews() {
  const f = await deployWithOfferings();
  return { ...f, reviews: await deployReviews(f.escrow.address) };
}

/** The two-merchant fixture (offering 3 is the second merchant's) plus the reviews of its bookings. */
export async function deployWithReviewsAndTwoMerchants() {
  const f = await deployWithTwoMerchants();
  return { ...f, reviews: await deployReviews(f.escrow.address) };
}

export type ReviewsFixture = Fixture & { reviews: Reviews };

/** The last second a booking of an offering on the default terms starting at `slotStart` may be reviewed: its slot's
 *  end, the dispute window, the arbiter's timeout when the offering has an arbiter (pass it, 0 otherwise), then
 *  `REVIEW_WINDOW`. */
export function closesAt(slotStart: number, arbiterTimeout = 0): number {
  return settlesAt({ slotStart }, TIMING) + arbiterTimeout + REVIEW_WINDOW;
}

/**
 * Brings a one-seat booking of `offeringId` (on the default terms) to Fulfilled: books it for `customer` three days
 * ahead (a contract customer through `execute`, sent by `sender`), the merchant checks it in at the slot's start, and
 * a stranger settles it at exactly the time it can settle (the slot's end plus the dispute window). Asserts the
 * status. Returns the slot and the booking.
 */
export async function bookFulfilled(
  f: Fixture,
  offeringId: number,
  customer: Wallet | Executor = f.customer,
  sender: Wallet = f.stranger,
): Promise<{ slot: number; booked: Booked }> {
  const slot = await slotInDays(f.grid, 3);
  const booked = await book(f, offeringId, slot, 1, customer, sender);
  await atTime(slot);
  await mined(f, f.escrow.write.checkIn([booked.id], { account: f.merchant.account }));
  await atTime(settlesAt({ slotStart: slot }, TIMING));
  await mined(f, f.escrow.write.settle([booked.id], { account: f.stranger.account }));
  assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Fulfilled);
  return { slot, booked };
}

/** The stored review of a booking that has none. */
export const NO_REVIEW = { rating: 0, answered: false, reviewedAt: 0 } as const;

/**
 * Asserts what a successful review of `booked` must do, once `send` is mined (at exactly `at` when told): one
 * `Reviewed` event naming the booking, its offering, its customer (the caller, or the contract account it acts
 * through), the rating and the text; the stored rating, no answer yet, and the block time. Returns the transaction.
 */
export async function expectReviewed(
  f: ReviewsFixture,
  booked: Booked,
  review: { send: () => Promise<Hash>; rating: number; text: string; at?: number },
): Promise<Hash> {
  if (review.at !== undefined) await atTime(review.at);
  const hash = await review.send();
  await mined(f, hash);
  await viem.assertions.emitWithArgs(hash, f.reviews, "Reviewed", [
    booked.id,
    booked.offeringId,
    getAddress(booked.customer),
    review.rating,
    review.text,
  ]);
  const reviewedAt = await txTimestamp(f, hash);
  if (review.at !== undefined) assert.equal(reviewedAt, review.at);
  assert.deepEqual(await f.reviews.read.getReview([booked.id]), {
    rating: review.rating,
    answered: false,
    reviewedAt,
  });
  return hash;
}

/** The booking's customer reviews it (at exactly `at` when told), with every check of `expectReviewed`. */
export function reviewAs(
  f: ReviewsFixture,
  booked: Booked,
  by: Wallet,
  rating: number,
  text: string,
  at?: number,
): Promise<Hash> {
  const send = () => f.reviews.write.review([booked.id, rating, text], { account: by.account });
  return expectReviewed(f, booked, { send, rating, text, at });
}
