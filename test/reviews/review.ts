// review: only the customer of a fulfilled booking reviews it, once, until REVIEW_WINDOW after the latest time it
// settles with nobody acting (its slot's end and dispute window, and the arbiter's timeout when the offering has an
// arbiter), with a rating of 1 to 5 and a text of at most MAX_TEXT bytes of UTF-8, which lives in the event.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, zeroAddress } from "viem";
import { encodeBookingId, settlesAt } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, mined } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  HOUR,
  networkHelpers,
  slotInDays,
  Status,
  TIMING,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { settledBookings } from "../support/outcomes.js";
import {
  bookFulfilled,
  closesAt,
  deployWithReviews,
  MAX_TEXT,
  NO_REVIEW,
  reviewAs,
  textOfBytes,
  type ReviewsError,
  type ReviewsErrorArgs,
  type ReviewsFixture,
} from "../support/reviews.js";

/** `by` tries to review `booked`; asserts the custom error and its arguments, and that nothing was stored. */
async function refused<const E extends ReviewsError>(
  f: ReviewsFixture,
  booked: Pick<Booked, "id">,
  by: Wallet,
  rating: number,
  text: string,
  error: E,
  args: ReviewsErrorArgs<E>,
): Promise<void> {
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.reviews.write.review([booked.id, rating, text], { account: by.account }),
    f.reviews,
    error,
    args,
  );
  assert.deepEqual(await f.reviews.read.getReview([booked.id]), NO_REVIEW);
}

describe("review", () => {
  describe("success", () => {
    it("succeeds when the customer reviews a fulfilled ETH booking: rating, text, offering and customer in the event", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await reviewAs(f, booked, f.customer, 5, "Lovely evening, the soufflé was perfect.");
    });

    it("succeeds when the customer reviews a fulfilled stablecoin booking right as it settles", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.tokenOffering, f.customer2);
      await reviewAs(f, booked, f.customer2, 1, "Cold food.", settlesAt({ slotStart: slot }, TIMING) + 1);
    });

    it("succeeds for every rating from 1 to 5", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      for (const rating of [1, 2, 3, 4, 5]) {
        const { booked } = await bookFulfilled(f, f.tokenOffering);
        await reviewAs(f, booked, f.customer, rating, `${rating} stars`);
      }
    });

    it("succeeds when the text is empty", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await reviewAs(f, booked, f.customer, 4, "");
    });

    it("succeeds when the escrow is paused: reviews only read it", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await reviewAs(f, booked, f.customer, 3, "Fine.");
    });

    it("succeeds for one booking of a slot and leaves another booking of the customer unreviewed", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const slot = await slotInDays(f.grid, 3);
      const first = await book(f, f.ethOffering, slot, 1);
      const second = await book(f, f.ethOffering, slot, 1);
      await atTime(slot);
      for (const b of [first, second]) await f.escrow.write.checkIn([b.id], { account: f.merchant.account });
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      for (const b of [first, second]) await f.escrow.write.settle([b.id], { account: f.stranger.account });
      await reviewAs(f, second, f.customer, 2, "Second visit, slower service.");
      assert.deepEqual(await f.reviews.read.getReview([first.id]), NO_REVIEW);
      await reviewAs(f, first, f.customer, 5, "First visit, great.");
    });
  });

  describe("window", () => {
    it("succeeds at exactly reviewClosesAt when the offering has no arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.tokenOffering);
      assert.equal(await f.reviews.read.reviewClosesAt([booked.id]), BigInt(closesAt(slot)));
      await reviewAs(f, booked, f.customer, 4, "Late but fair.", closesAt(slot));
    });

    it("reverts one second after reviewClosesAt when the offering has no arbiter (no arbiter timeout added)", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.tokenOffering);
      await atTime(closesAt(slot) + 1);
      await refused(f, booked, f.customer, 4, "Too late.", "ReviewWindowClosed", [booked.id, BigInt(closesAt(slot))]);
    });

    it("succeeds when the offering has an arbiter one second past the no-arbiter close: the timeout is included", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.ethOffering);
      await reviewAs(f, booked, f.customer, 4, "Still in time.", closesAt(slot) + 1);
    });

    it("succeeds at exactly reviewClosesAt when the offering has an arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.ethOffering);
      const end = closesAt(slot, ARBITER_TIMEOUT);
      assert.equal(await f.reviews.read.reviewClosesAt([booked.id]), BigInt(end));
      await reviewAs(f, booked, f.customer, 5, "Last second.", end);
    });

    it("reverts one second after reviewClosesAt when the offering has an arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { slot, booked } = await bookFulfilled(f, f.ethOffering);
      const end = closesAt(slot, ARBITER_TIMEOUT);
      await atTime(end + 1);
      await refused(f, booked, f.customer, 5, "Too late.", "ReviewWindowClosed", [booked.id, BigInt(end)]);
    });

    it("succeeds up to the window's end when a disputed, checked-in booking settles as fulfilled after the arbiter's timeout", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await atTime(slot + HOUR);
      await f.escrow.write.dispute([booked.id, "the wine was corked"], { account: f.customer.account });
      await atTime(settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT);
      await mined(f, f.escrow.write.settle([booked.id], { account: f.stranger.account }));
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Fulfilled);
      // A full REVIEW_WINDOW after the late settlement, not after the undisputed one.
      await reviewAs(f, booked, f.customer, 2, "The arbiter never answered.", closesAt(slot, ARBITER_TIMEOUT));
    });
  });

  describe("who", () => {
    it("reverts when a stranger reviews the customer's booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const [customer, stranger] = [getAddress(booked.customer), getAddress(f.stranger.account.address)];
      await refused(f, booked, f.stranger, 5, "Best place!", "NotBookingCustomer", [booked.id, customer, stranger]);
    });

    it("reverts when the merchant reviews its own customer's booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.tokenOffering);
      const [customer, merchant] = [getAddress(booked.customer), getAddress(f.merchant.account.address)];
      await refused(f, booked, f.merchant, 5, "Best place!", "NotBookingCustomer", [booked.id, customer, merchant]);
    });

    it("reverts when another customer of the same slot reviews the booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const [customer, other] = [getAddress(booked.customer), getAddress(f.customer2.account.address)];
      await refused(f, booked, f.customer2, 1, "Awful.", "NotBookingCustomer", [booked.id, customer, other]);
    });

    it("reverts when there is no such booking, naming no customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const id = encodeBookingId({ offeringId: f.ethOffering, slotStart: await slotInDays(f.grid, 3), n: 1 });
      const caller = getAddress(f.customer.account.address);
      await refused(f, { id }, f.customer, 5, "Never went.", "NotBookingCustomer", [id, zeroAddress, caller]);
    });
  });

  describe("status", () => {
    it("reverts when the booking is booked and checked in but not settled", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      // It could settle now, but nobody has settled it: the escrow still says Booked.
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      await refused(f, booked, f.customer, 5, "Great.", "BookingNotFulfilled", [booked.id, Status.Booked]);
    });

    it("reverts when the booking is disputed", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1);
      await atTime(slot + HOUR);
      await f.escrow.write.dispute([booked.id, "nobody was there"], { account: f.customer.account });
      await refused(f, booked, f.customer, 1, "Closed.", "BookingNotFulfilled", [booked.id, Status.Disputed]);
    });

    it("reverts when the booking is a no-show, cancelled by either side or resolved by the arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const outcomes = await settledBookings(f);
      const refusedStatuses: number[] = [];
      for (const [id, status] of outcomes) {
        if (status === Status.Fulfilled) continue;
        const { customer } = await f.escrow.read.getBooking([id]);
        const wallet = [f.customer, f.customer2].find((w) => getAddress(w.account.address) === customer);
        assert.ok(wallet, "a fixture customer booked it");
        await refused(f, { id }, wallet, 3, "Hm.", "BookingNotFulfilled", [id, status]);
        refusedStatuses.push(status);
      }
      assert.deepEqual(refusedStatuses.toSorted(), [
        Status.CustomerCancelled,
        Status.MerchantCancelled,
        Status.Resolved,
        Status.NoShow,
      ]);
    });
  });

  describe("once", () => {
    it("reverts when the customer reviews the booking a second time, keeping the first review", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await reviewAs(f, booked, f.customer, 2, "Meh.");
      const first = await f.reviews.read.getReview([booked.id]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.reviews.write.review([booked.id, 5, "Actually great!"], { account: f.customer.account }),
        f.reviews,
        "AlreadyReviewed",
        [booked.id],
      );
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), first);
      assert.equal(first.rating, 2);
    });
  });

  describe("rating", () => {
    for (const rating of [0, 6, 255]) {
      it(`reverts when the rating is ${rating}`, async () => {
        const f = await networkHelpers.loadFixture(deployWithReviews);
        const { booked } = await bookFulfilled(f, f.ethOffering);
        await refused(f, booked, f.customer, rating, "Out of range.", "InvalidRating", [rating]);
      });
    }

    it("reverts with InvalidRating before anything else, even for a stranger on no booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      await refused(f, { id: 123n }, f.stranger, 0, "", "InvalidRating", [0]);
    });
  });

  describe("text", () => {
    for (const [what, char] of [
      ["ASCII", "a"],
      ["2-byte UTF-8", "é"],
      ["3-byte UTF-8", "€"],
      ["4-byte UTF-8", "🍜"],
    ] as const) {
      it(`succeeds when the text is exactly MAX_TEXT bytes of ${what}`, async () => {
        const f = await networkHelpers.loadFixture(deployWithReviews);
        const { booked } = await bookFulfilled(f, f.ethOffering);
        await reviewAs(f, booked, f.customer, 5, textOfBytes(MAX_TEXT, char));
      });
    }

    it("reverts when the text is MAX_TEXT + 1 bytes of ASCII", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const text = textOfBytes(MAX_TEXT + 1);
      await refused(f, booked, f.customer, 5, text, "TextTooLong", [BigInt(MAX_TEXT + 1), BigInt(MAX_TEXT)]);
    });

    it("reverts when the text is MAX_TEXT + 1 bytes in far fewer characters: bytes are counted, not characters", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const text = textOfBytes(MAX_TEXT + 1, "€");
      assert.ok(text.length < MAX_TEXT / 2, "a third as many characters as bytes");
      await refused(f, booked, f.customer, 5, text, "TextTooLong", [BigInt(MAX_TEXT + 1), BigInt(MAX_TEXT)]);
    });
  });
});
