// Verified reviews on a phone (390×844): a customer's visit is checked in and settled (Fulfilled), the customer
// reviews it from My bookings through the review dialog, and the review shows on the offering's page with its rating
// (and, once the merchant answers, the answer), then beside the offering in the list. Nothing is wider than the
// screen and axe finds no WCAG A/AA violation.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, http, type Address, type Hash } from "viem";
import { BookingStatus, decodeBookingId, earnestEscrowAbi, verifiedReviewsAbi } from "@earnest/sdk";
import { root } from "../../test/support/processes.js";
import { axeAvailable, expectAccessible, overflowing } from "./a11y.js";
import { bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import { ACCOUNTS, connect, freshChainForEachTest, increaseTime, openApp, stack, type Stack } from "./harness.js";

/** Seeded offering 5: Harbour Yoga's morning flow (merchant #3): 1 h slots, the merchant's word checks in, no
 *  arbiter (a 2 h dispute window). */
const MORNING_FLOW = 5;
const HOUR = 3600;
const PHONE = { width: 390, height: 844 };
const skip = axeAvailable ? false : "axe-core is not installed";

let s: Stack;

describe("verified reviews", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("lets the customer of a fulfilled visit review it, and shows the review on the offering", { skip }, async () => {
    // The local stack deploys the reviews beside the escrow (ignition/modules/Earnest.ts).
    const deployed = JSON.parse(
      readFileSync(path.join(root, "ignition/deployments/chain-31337/deployed_addresses.json"), "utf8"),
    ) as Record<string, Address>;
    const reviews = deployed["Earnest#VerifiedReviews"];
    assert.ok(reviews, "the local deployment has no VerifiedReviews");
    const transport = http(s.node.url);
    const client = createPublicClient({ transport });
    const walletOf = (account: Address) => createWalletClient({ account, transport });
    const mined = async (sent: Promise<Hash>) => {
      const receipt = await client.waitForTransactionReceipt({ hash: await sent });
      assert.equal(receipt.status, "success");
    };

    const c = await openApp(s, { account: 7, phone: true });
    const page = c.page;
    await page.setViewportSize(PHONE);
    await connect(page);
    const { bookingId } = await bookFirstSlot(s, c, MORNING_FLOW);
    const { slotStart } = decodeBookingId(bookingId);

    // The merchant checks the customer in at the slot's start; once the dispute window has passed, anyone settles.
    await increaseTime(s.node, slotStart + 60 - (await chainNow(s)));
    await mined(
      walletOf(ACCOUNTS[3]).writeContract({
        chain: null,
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "checkIn",
        args: [bookingId],
      }),
    );
    await increaseTime(s.node, slotStart + HOUR + 2 * HOUR + 60 - (await chainNow(s)));
    await mined(
      walletOf(ACCOUNTS[0]).writeContract({
        chain: null,
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "settle",
        args: [bookingId],
      }),
    );
    const booking = await client.readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });
    assert.equal(booking.status, BookingStatus.Fulfilled);

    // My bookings: the fulfilled visit offers a review; the dialog asks for the stars.
    await page.goto(`${s.appUrl}#/bookings`);
    await reload(c);
    const row = page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
    await row.getByTestId("write-review").click();
    const dialog = page.getByRole("dialog", { name: /Review Morning flow/ });
    await dialog.waitFor();
    const star = await dialog.getByTestId("review-star-4").locator("..").boundingBox();
    assert.ok(star && star.width >= 44 && star.height >= 44, `a star is ${star?.width}×${star?.height} px`);
    await dialog.getByTestId("confirm-review").click();
    await dialog.getByTestId("review-rating-required").waitFor();
    await dialog.getByTestId("review-star-4").check();
    await dialog.getByTestId("review-text-input").fill("Calm class, a kind teacher. 很好。");
    await textMatching(dialog.getByTestId("review-text-input-count"), /^37 of 500 bytes$/);
    assert.deepEqual(await overflowing(page), [], "the review dialog is wider than the screen");
    await expectAccessible(page);
    await dialog.getByTestId("confirm-review").click();
    await confirmed(page, "Review");
    await textMatching(row.getByTestId("booking-review"), /Your review: .*4 stars out of 5.*Calm class/);
    assert.equal(await row.getByTestId("write-review").count(), 0);
    const stored = await client.readContract({
      address: reviews,
      abi: verifiedReviewsAbi,
      functionName: "getReview",
      args: [bookingId],
    });
    assert.equal(stored.rating, 4);

    // The merchant answers (outside the browser); the offering's page shows the rating, the review and the answer.
    await mined(
      walletOf(ACCOUNTS[3]).writeContract({
        chain: null,
        address: reviews,
        abi: verifiedReviewsAbi,
        functionName: "answer",
        args: [bookingId, "Thank you, see you soon!"],
      }),
    );
    await page.goto(`${s.appUrl}#/offerings/${MORNING_FLOW}`);
    await reload(c);
    await textMatching(page.getByTestId("rating-summary").first(), /4\.0 ★ · 1 review/);
    const review = page.locator(`[data-testid="review"][data-booking-id="${bookingId}"]`);
    await textMatching(review.getByTestId("review-text"), /Calm class, a kind teacher\. 很好。/);
    await textMatching(review.getByTestId("review-rating"), /4 stars out of 5/);
    await textMatching(review.getByTestId("review-booking"), new RegExp(`booking ${bookingId}`));
    await textMatching(review.getByTestId("review-answer"), /Thank you, see you soon!/);
    assert.deepEqual(await overflowing(page), [], "the offering's reviews are wider than the screen");
    await expectAccessible(page);

    // Back on the list, the reviews' code is loaded: the rating shows beside the offering.
    await page.getByRole("link", { name: /All offerings/ }).click();
    const card = page.locator('[data-testid="offering"]', {
      has: page.locator(`a[href="#/offerings/${MORNING_FLOW}"]`),
    });
    await textMatching(card.getByTestId("rating-summary"), /4\.0 ★ · 1 review/);
    assert.deepEqual(await overflowing(page), [], "the offerings list is wider than the screen");
    await c.close();
  });
});
