// answer: the offering's merchant (nobody else: not its staff, its payout address, another merchant or the customer)
// answers a review once, with a text of at most MAX_TEXT bytes (empty allowed), at any time after the review.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress } from "viem";
import { encodeBookingId, STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS } from "@earnest/sdk";
import { type Booked } from "../support/booking.js";
import { atTime } from "../support/chain.js";
import { ARBITER_TIMEOUT, DAY, networkHelpers, slotInDays, viem, type Wallet } from "../support/fixture.js";
import {
  bookFulfilled,
  closesAt,
  deployWithReviews,
  deployWithReviewsAndTwoMerchants,
  MAX_TEXT,
  NO_REVIEW,
  textOfBytes,
  type ReviewsError,
  type ReviewsErrorArgs,
  type ReviewsFixture,
} from "../support/reviews.js";

/** The reviews fixture plus a fulfilled booking of offering 1 (ETH, arbiter) that its customer rated 4. */
async function deployReviewed() {
  const f = await deployWithReviews();
  const { slot, booked } = await bookFulfilled(f, f.ethOffering);
  await f.reviews.write.review([booked.id, 4, "Good, a little loud."], { account: f.customer.account });
  return { ...f, slot, booked };
}

/** `by` answers the review of `booked`; asserts the `Answered` event naming `by` and the text, and that only the
 *  stored answered flag changed. */
async function answerAs(f: ReviewsFixture, booked: Booked, by: Wallet, text: string): Promise<void> {
  const before = await f.reviews.read.getReview([booked.id]);
  assert.notEqual(before.rating, 0, "reviewed");
  assert.equal(before.answered, false);
  await viem.assertions.emitWithArgs(
    f.reviews.write.answer([booked.id, text], { account: by.account }),
    f.reviews,
    "Answered",
    [booked.id, getAddress(by.account.address), text],
  );
  assert.deepEqual(await f.reviews.read.getReview([booked.id]), { ...before, answered: true });
}

/** `by`'s answer to the review of `booked` is refused with `error` and `args`; the stored review is unchanged. */
async function refused<const E extends ReviewsError>(
  f: ReviewsFixture,
  booked: Pick<Booked, "id">,
  by: Wallet,
  text: string,
  error: E,
  args: ReviewsErrorArgs<E>,
): Promise<void> {
  const before = await f.reviews.read.getReview([booked.id]);
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.reviews.write.answer([booked.id, text], { account: by.account }),
    f.reviews,
    error,
    args,
  );
  assert.deepEqual(await f.reviews.read.getReview([booked.id]), before);
}

describe("answer", () => {
  describe("success", () => {
    it("succeeds when the merchant answers a review: merchant and text in the event, the answered flag stored", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      await answerAs(f, f.booked, f.merchant, "Thank you! We have moved your next table away from the bar.");
    });

    it("succeeds when the merchant answers with an empty text", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      await answerAs(f, f.booked, f.merchant, "");
    });

    it("succeeds when the answer is exactly MAX_TEXT bytes of 3-byte UTF-8", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      await answerAs(f, f.booked, f.merchant, textOfBytes(MAX_TEXT, "谢"));
    });

    it("succeeds when the merchant answers long after the review window has closed: answers have no window", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      await atTime(closesAt(f.slot, ARBITER_TIMEOUT) + 365 * DAY);
      await answerAs(f, f.booked, f.merchant, "Sorry for the late reply.");
    });

    it("succeeds when the second merchant answers a review of its own offering, and the first may not", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviewsAndTwoMerchants);
      const { booked } = await bookFulfilled({ ...f, merchant: f.merchant2 }, f.otherOffering);
      await f.reviews.write.review([booked.id, 3, "OK."], { account: f.customer.account });
      const [merchant2, merchant] = [f.merchant2, f.merchant].map((w) => getAddress(w.account.address));
      await refused(f, booked, f.merchant, "Not mine.", "NotReviewMerchant", [booked.id, merchant2, merchant]);
      await answerAs(f, booked, f.merchant2, "Thanks.");
    });
  });

  describe("who", () => {
    it("reverts when the customer answers their own review", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      const [merchant, customer] = [f.merchant, f.customer].map((w) => getAddress(w.account.address));
      await refused(f, f.booked, f.customer, "I agree.", "NotReviewMerchant", [f.booked.id, merchant, customer]);
    });

    it("reverts when a stranger answers", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      const [merchant, stranger] = [f.merchant, f.stranger].map((w) => getAddress(w.account.address));
      await refused(f, f.booked, f.stranger, "Fake!", "NotReviewMerchant", [f.booked.id, merchant, stranger]);
    });

    it("reverts when the merchant's payout address answers", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      const [merchant, payout] = [f.merchant, f.payout].map((w) => getAddress(w.account.address));
      await refused(f, f.booked, f.payout, "Thanks.", "NotReviewMerchant", [f.booked.id, merchant, payout]);
    });

    it("reverts when the merchant's staff holding every role answers", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      const roles = STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS;
      await f.escrow.write.setStaffRoles([f.stranger.account.address, roles], { account: f.merchant.account });
      const [merchant, staff] = [f.merchant, f.stranger].map((w) => getAddress(w.account.address));
      await refused(f, f.booked, f.stranger, "Thanks.", "NotReviewMerchant", [f.booked.id, merchant, staff]);
    });

    it("reverts when another merchant answers", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviewsAndTwoMerchants);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await f.reviews.write.review([booked.id, 5, "Great."], { account: f.customer.account });
      const [merchant, merchant2] = [f.merchant, f.merchant2].map((w) => getAddress(w.account.address));
      await refused(f, booked, f.merchant2, "Come to us.", "NotReviewMerchant", [booked.id, merchant, merchant2]);
    });
  });

  describe("state", () => {
    it("reverts when the fulfilled booking has no review", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await refused(f, booked, f.merchant, "Thanks in advance.", "NotReviewed", [booked.id]);
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), NO_REVIEW);
    });

    it("reverts when there is no such booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const id = encodeBookingId({ offeringId: f.ethOffering, slotStart: await slotInDays(f.grid, 3), n: 1 });
      await refused(f, { id }, f.merchant, "Hello?", "NotReviewed", [id]);
    });

    it("reverts when the merchant answers a second time, keeping the first answer's state", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      await answerAs(f, f.booked, f.merchant, "Thank you.");
      await refused(f, f.booked, f.merchant, "Edited: thank you!", "AlreadyAnswered", [f.booked.id]);
      assert.equal((await f.reviews.read.getReview([f.booked.id])).answered, true);
    });

    it("reverts with AlreadyAnswered for a stranger too once answered", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      await answerAs(f, f.booked, f.merchant, "Thank you.");
      await refused(f, f.booked, f.stranger, "Me too.", "AlreadyAnswered", [f.booked.id]);
    });
  });

  describe("text", () => {
    it("reverts when the answer is MAX_TEXT + 1 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployReviewed);
      const text = textOfBytes(MAX_TEXT + 1, "é");
      await refused(f, f.booked, f.merchant, text, "TextTooLong", [BigInt(MAX_TEXT + 1), BigInt(MAX_TEXT)]);
    });

    it("reverts with TextTooLong before any other check, on a booking without a review", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const text = textOfBytes(MAX_TEXT + 1);
      await refused(f, { id: 1n }, f.stranger, text, "TextTooLong", [BigInt(MAX_TEXT + 1), BigInt(MAX_TEXT)]);
    });
  });
});
