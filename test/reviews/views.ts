// VerifiedReviews' views and constructor: getReview (all zero until reviewed, then the rating, the time and whether
// the merchant answered), reviewClosesAt (zero for no booking; otherwise from the booking's offering's own terms, the
// arbiter's timeout counted only when there is an arbiter), the constants, and the escrow it reads, which must be a
// contract.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, zeroAddress } from "viem";
import { encodeBookingId, MAX_REVIEW_TEXT_BYTES, REVIEW_WINDOW as SDK_REVIEW_WINDOW, settlesAt } from "@earnest/sdk";
import { book } from "../support/booking.js";
import { txTimestamp } from "../support/chain.js";
import { ARBITER_TIMEOUT, createOffering, DAY, HOUR, networkHelpers, slotInDays, viem } from "../support/fixture.js";
import { settledBookings } from "../support/outcomes.js";
import {
  bookFulfilled,
  closesAt,
  deployReviews,
  deployWithReviews,
  NO_REVIEW,
  REVIEW_WINDOW,
} from "../support/reviews.js";

/** The reviews fixture plus offering 3: 3 h slots, a 2-day dispute window and an arbiter with a 5-day timeout. */
async function deployWithOddTimes() {
  const f = await deployWithReviews();
  await createOffering(f, {
    slotLength: 3 * HOUR,
    disputeWindow: 2 * DAY,
    arbiter: f.arbiter.account.address,
    arbiterTimeout: 5 * DAY,
  });
  return { ...f, oddOffering: 3 };
}

describe("reviews views", () => {
  describe("constructor", () => {
    it("succeeds with the escrow, which escrow() returns, and the SPEC's constants", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      assert.equal(await f.reviews.read.escrow(), getAddress(f.escrow.address));
      assert.equal(await f.reviews.read.REVIEW_WINDOW(), BigInt(REVIEW_WINDOW));
      assert.equal(await f.reviews.read.MAX_TEXT_BYTES(), BigInt(MAX_REVIEW_TEXT_BYTES));
      assert.equal(SDK_REVIEW_WINDOW, REVIEW_WINDOW, "the sdk's constant is the SPEC's 30 days");
    });

    it("reverts when the escrow is an account without code", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const eoa = getAddress(f.stranger.account.address);
      await viem.assertions.revertWithCustomErrorWithArgs(deployReviews(eoa), f.reviews, "EscrowNotContract", [eoa]);
    });

    it("reverts when the escrow is the zero address", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      await viem.assertions.revertWithCustomErrorWithArgs(deployReviews(zeroAddress), f.reviews, "EscrowNotContract", [
        zeroAddress,
      ]);
    });
  });

  describe("getReview", () => {
    it("succeeds with all zero for no booking and for a fulfilled booking not yet reviewed", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      assert.deepEqual(await f.reviews.read.getReview([0n]), NO_REVIEW);
      assert.deepEqual(await f.reviews.read.getReview([booked.id + 1n]), NO_REVIEW);
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), NO_REVIEW);
    });

    it("succeeds with the rating and the review's block time, then the answered flag", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.tokenOffering);
      await networkHelpers.time.increase(7 * DAY);
      const hash = await f.reviews.write.review([booked.id, 3, "Average."], { account: f.customer.account });
      const reviewedAt = await txTimestamp(f, hash);
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), { rating: 3, answered: false, reviewedAt });
      await networkHelpers.time.increase(DAY);
      await f.reviews.write.answer([booked.id, "We will do better."], { account: f.merchant.account });
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), { rating: 3, answered: true, reviewedAt });
    });
  });

  describe("reviewClosesAt", () => {
    it("succeeds with 0 when there is no such booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      assert.equal(await f.reviews.read.reviewClosesAt([0n]), 0n);
      // The next booking of the same slot, not made yet, and a booking of an offering that does not exist.
      assert.equal(await f.reviews.read.reviewClosesAt([booked.id + 1n]), 0n);
      const noOffering = encodeBookingId({ offeringId: 99, slotStart: slot, n: 1 });
      assert.equal(await f.reviews.read.reviewClosesAt([noOffering]), 0n);
    });

    it("succeeds without the arbiter's timeout for an offering without an arbiter, from booking on", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.tokenOffering);
      assert.equal(await f.reviews.read.reviewClosesAt([booked.id]), BigInt(closesAt(slot)));
      const open = await book(f, f.tokenOffering, await slotInDays(f.grid, 5), 1);
      assert.equal(await f.reviews.read.reviewClosesAt([open.id]), BigInt(closesAt(open.slotStart)));
    });

    it("succeeds with the arbiter's timeout for an offering with an arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.ethOffering);
      assert.equal(await f.reviews.read.reviewClosesAt([booked.id]), BigInt(closesAt(slot, ARBITER_TIMEOUT)));
    });

    it("succeeds with the offering's own slot length, dispute window and arbiter timeout", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddTimes);
      const slot = await slotInDays(f.grid, 3, 3 * HOUR);
      const booked = await book(f, f.oddOffering, slot, 1);
      const expected = settlesAt({ slotStart: slot }, { slotLength: 3 * HOUR, disputeWindow: 2 * DAY });
      assert.equal(await f.reviews.read.reviewClosesAt([booked.id]), BigInt(expected + 5 * DAY + REVIEW_WINDOW));
    });

    it("succeeds with a time for settled bookings that can never be reviewed (they exist)", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      for (const [id] of await settledBookings(f)) {
        const { slotStart, offeringId } = await f.escrow.read.getBooking([id]);
        const expected = closesAt(slotStart, offeringId === f.ethOffering ? ARBITER_TIMEOUT : 0);
        assert.equal(await f.reviews.read.reviewClosesAt([id]), BigInt(expected));
      }
    });
  });
});
