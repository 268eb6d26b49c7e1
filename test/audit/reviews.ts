// The verifier's review checks (SPEC §6): each review against its rebuilt booking and each answer against the
// offering's merchant. Every breach is one no VerifiedReviews contract would let through, made by fabricating a
// review event beside a clean history, and found alone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import {
  audit,
  createRpc,
  NotEarnestReviewsError,
  settlesAt,
  MAX_REVIEW_TEXT_BYTES,
  REVIEW_WINDOW,
  reviewClosesAt,
  reviewFindings,
  verify,
  type AnsweredEvent,
  type ReviewedEvent,
} from "@earnest/sdk";
import { book } from "../support/booking.js";
import { atTime, mined } from "../support/chain.js";
import { C, history, id, M, RULING_DEADLINE, S, SETTLES, SLOT, X } from "../support/fabricated-events.js";
import { connection, deployEarnestEscrow, deployWithOfferings, slotInDays, TIMING, viem } from "../support/fixture.js";

const rebuilt = verify(history(), null);
const tx: Hex = `0x${"ab".repeat(32)}`;

/** Booking 3 is fulfilled (settled in block 30), 6 too (block 31), 5 a no-show: reviews come after block 40. */
function reviewed(n: number, overrides: Partial<ReviewedEvent> = {}): ReviewedEvent {
  return {
    bookingId: id(n),
    offeringId: 1,
    customer: C,
    rating: 5,
    text: "Lovely evening",
    blockNumber: 40n,
    logIndex: 0,
    transactionHash: tx,
    timestamp: SETTLES + 3600,
    ...overrides,
  };
}

function answered(n: number, overrides: Partial<AnsweredEvent> = {}): AnsweredEvent {
  return {
    bookingId: id(n),
    merchant: M,
    text: "Thank you!",
    blockNumber: 41n,
    logIndex: 0,
    transactionHash: tx,
    timestamp: SETTLES + 7200,
    ...overrides,
  };
}

function found(reviewedEvents: ReviewedEvent[], answeredEvents: AnsweredEvent[] = []) {
  return reviewFindings({ reviewed: reviewedEvents, answered: answeredEvents }, rebuilt).map((f) => ({
    text: f.text,
    bookingId: f.bookingId,
    values: f.values,
  }));
}

describe("audit: reviews", () => {
  it("finds nothing in reviews of fulfilled bookings by their customers, answered by the merchant", () => {
    assert.deepEqual(found([reviewed(3), reviewed(6, { rating: 1, logIndex: 1 })], [answered(3), answered(6)]), []);
  });

  it("closes the window 30 days after the latest settlement, the arbiter's timeout included", () => {
    const offering = rebuilt.offerings.get(1)!;
    assert.equal(reviewClosesAt(SLOT, offering), RULING_DEADLINE + REVIEW_WINDOW);
    const withoutArbiter = { ...offering, arbiter: "0x0000000000000000000000000000000000000000" as Address };
    assert.equal(reviewClosesAt(SLOT, withoutArbiter), SETTLES + REVIEW_WINDOW);
    assert.deepEqual(found([reviewed(3, { timestamp: RULING_DEADLINE + REVIEW_WINDOW })]), []);
    assert.deepEqual(found([reviewed(3, { timestamp: RULING_DEADLINE + REVIEW_WINDOW + 1 })]), [
      {
        text: "reviewTooLate",
        bookingId: id(3),
        values: { at: String(RULING_DEADLINE + REVIEW_WINDOW + 1), closesAt: String(RULING_DEADLINE + REVIEW_WINDOW) },
      },
    ]);
  });

  it("finds a review of a booking never booked", () => {
    assert.deepEqual(found([reviewed(99)]), [{ text: "reviewNeverBooked", bookingId: id(99), values: {} }]);
  });

  it("finds a review by someone other than the booking's customer", () => {
    assert.deepEqual(found([reviewed(3, { customer: X })]), [
      { text: "reviewByOther", bookingId: id(3), values: { by: X } },
    ]);
  });

  it("finds a review of a booking that did not end fulfilled, or before it settled", () => {
    assert.deepEqual(found([reviewed(5)]), [
      { text: "reviewNotFulfilled", bookingId: id(5), values: { status: "NoShow" } },
    ]);
    assert.deepEqual(found([reviewed(3, { blockNumber: 29n })]), [
      { text: "reviewNotFulfilled", bookingId: id(3), values: { status: "Booked" } },
    ]);
  });

  it("finds a review naming another offering than its booking's", () => {
    assert.deepEqual(found([reviewed(3, { offeringId: 2 })]), [
      { text: "reviewWrongOffering", bookingId: id(3), values: { offeringId: "2", expected: "1" } },
    ]);
  });

  it("finds a booking reviewed twice, a rating outside 1 to 5 and an over-long text", () => {
    const long = "é".repeat(MAX_REVIEW_TEXT_BYTES / 2) + "x";
    assert.deepEqual(
      found([reviewed(3), reviewed(3, { logIndex: 1, rating: 0 }), reviewed(6, { rating: 6, text: long })]),
      [
        { text: "reviewedTwice", bookingId: id(3), values: {} },
        { text: "reviewRatingInvalid", bookingId: id(3), values: { rating: "0" } },
        { text: "reviewRatingInvalid", bookingId: id(6), values: { rating: "6" } },
        {
          text: "reviewTextTooLong",
          bookingId: id(6),
          values: { length: String(MAX_REVIEW_TEXT_BYTES + 1), max: String(MAX_REVIEW_TEXT_BYTES) },
        },
      ],
    );
  });

  it("finds an answer without a review, by another than the merchant, twice, or over-long", () => {
    assert.deepEqual(found([], [answered(3)]), [{ text: "answerWithoutReview", bookingId: id(3), values: {} }]);
    assert.deepEqual(found([reviewed(3, { blockNumber: 50n })], [answered(3)]), [
      { text: "answerWithoutReview", bookingId: id(3), values: {} },
    ]);
    assert.deepEqual(found([reviewed(3)], [answered(3, { merchant: S })]), [
      { text: "answerByOther", bookingId: id(3), values: { by: S } },
    ]);
    assert.deepEqual(found([reviewed(3)], [answered(3), answered(3, { logIndex: 1, text: "x".repeat(501) })]), [
      { text: "answeredTwice", bookingId: id(3), values: {} },
      { text: "answerTextTooLong", bookingId: id(3), values: { length: "501", max: "500" } },
    ]);
  });
});

describe("audit: reviews on the local chain", () => {
  it("checks the reviews contract beside the escrow, and refuses one that reviews another escrow", async () => {
    const f = await deployWithOfferings();
    const reviews = await viem.deployContract("VerifiedReviews", [f.escrow.address]);
    const slot = await slotInDays(f.grid, 3);
    const visit = await book(f, f.ethOffering, slot, 1);
    await atTime(slot + 60);
    await mined(f, f.escrow.write.checkIn([visit.id], { account: f.merchant.account }));
    await atTime(settlesAt({ slotStart: slot }, TIMING));
    await mined(f, f.escrow.write.settle([visit.id], { account: f.customer.account }));
    await mined(f, reviews.write.review([visit.id, 4, "Warm welcome"], { account: f.customer.account }));
    await mined(f, reviews.write.answer([visit.id, "Come again"], { account: f.merchant.account }));

    const rpc = () => createRpc(connection.provider);
    const result = await audit({ rpc: rpc(), escrow: f.escrow.address, reviews: reviews.address });
    assert.equal(result.ok, true, result.summary);
    assert.deepEqual(result.verification.reviews, {
      contract: reviews.address.toLowerCase(),
      reviews: 1,
      answers: 1,
    });
    assert.match(result.summary, /1 reviews and 1 answers checked against their bookings/);
    assert.equal((result.report.counts as { reviews?: number }).reviews, 1);
    const skipped = await audit({ rpc: rpc(), escrow: f.escrow.address, reviews: null });
    assert.equal(skipped.verification.reviews, undefined);

    const other = await deployEarnestEscrow(f.owner.account.address, f.owner.account.address, 0);
    const othersReviews = await viem.deployContract("VerifiedReviews", [other.address]);
    await assert.rejects(
      audit({ rpc: rpc(), escrow: f.escrow.address, reviews: othersReviews.address }),
      (e) =>
        e instanceof NotEarnestReviewsError &&
        e.message.toLowerCase().includes(`reviews the escrow at ${other.address.toLowerCase()}`),
    );
    await assert.rejects(
      audit({ rpc: rpc(), escrow: f.escrow.address, reviews: f.customer.account.address }),
      (e) => e instanceof NotEarnestReviewsError && /no contract there/.test(e.message),
    );
    await assert.rejects(
      audit({ rpc: rpc(), escrow: f.escrow.address, reviews: f.escrow.address }),
      (e) => e instanceof NotEarnestReviewsError && /does not answer escrow\(\)/.test(e.message),
    );
  });
});
