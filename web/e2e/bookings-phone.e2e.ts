// The customer's path on a phone (390×844, and the 360 px floor): offerings → offering → book → My bookings
// (upcoming first, the venue named) → cancel through its confirmation → the receipt with the refund. On every page
// nothing is wider than the screen and axe finds no WCAG A/AA violation; the chosen date and slot survive a reload.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { axeAvailable, expectAccessible, overflowing } from "./a11y.js";
import { reload, textMatching } from "./console-helpers.js";
import { connect, freshChainForEachTest, openApp, PATIENCE, stack, type Stack } from "./harness.js";

/** Seeded offering 1: Trattoria Luce's dinner table, 0.01 ETH a seat, a full refund up to 48 h before. */
const DINNER = 1;
const skip = axeAvailable ? false : "axe-core is not installed";

let s: Stack;

/** Nothing shown reaches past the right edge of the screen, at 390 and at 360 px. */
async function expectNothingWider(page: Page, where: string): Promise<void> {
  for (const width of [390, 360]) {
    await page.setViewportSize({ width, height: 844 });
    const wide = await overflowing(page);
    assert.deepEqual(wide, [], `${where} at ${width} px: wider than the screen: ${wide.join(", ")}`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
}

describe("bookings on a phone", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it(
    "books, finds the booking first in My bookings and cancels it with a confirmation and a receipt",
    { skip },
    async () => {
      const w = await openApp(s, { account: 6, phone: true });
      const page = w.page;
      await page.setViewportSize({ width: 390, height: 844 });
      await connect(page);

      // The offerings.
      await page.locator(`a[href="#/offerings/${DINNER}"]`).first().waitFor();
      await expectNothingWider(page, "offerings");
      await expectAccessible(page);

      // The offering: a day five days ahead (inside the full-refund tier), its first free slot; a reload keeps both.
      await page.locator(`a[href="#/offerings/${DINNER}"]`).first().click();
      const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      await page.getByTestId("date").fill(day);
      await page.getByTestId("slot").and(page.locator(":enabled")).first().click();
      const chosen = await page.locator('[data-testid="slot"][aria-pressed="true"]').textContent();
      await reload(w); // reconnects the test wallet, as a returning customer's wallet would
      await page.locator('[data-testid="slot"][aria-pressed="true"]').waitFor();
      assert.equal(await page.getByTestId("date").inputValue(), day);
      assert.equal(await page.locator('[data-testid="slot"][aria-pressed="true"]').textContent(), chosen);

      // Too many seats is said, not silently changed.
      await page.getByTestId("seats").fill("21");
      await textMatching(page.getByTestId("seats-error"), /from 1 to \d+/);
      assert.equal(await page.getByTestId("seats").inputValue(), "21");
      assert.equal(await page.getByTestId("pay").isDisabled(), true);
      await page.getByTestId("seats").fill("1");
      await page.getByTestId("seats-error").waitFor({ state: "detached" });
      await page.getByTestId("details-name").fill("Ada Lovelace");
      await expectNothingWider(page, "offering");
      await expectAccessible(page);

      await page.getByTestId("pay").click();
      await page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
      const id = await page.getByTestId("pass-booking-id").textContent();

      // My bookings: the upcoming group first, the venue named on the card.
      await page.locator('a[href="#/bookings"]').first().click();
      const groups = page.locator('[data-testid^="group-"]');
      await groups.first().waitFor();
      assert.equal(await groups.first().getAttribute("data-testid"), "group-upcoming");
      const byId = `[data-testid="booking"][data-booking-id="${id}"]`;
      await page.getByTestId("group-upcoming").locator(byId).waitFor();
      const card = page.locator(byId);
      assert.equal(await card.getByTestId("venue").textContent(), " · Trattoria Luce");
      await expectNothingWider(page, "My bookings");
      await expectAccessible(page);

      // Cancel: a dialog says what comes back before anything is sent.
      await card.getByTestId("cancel").click();
      const dialog = page.getByRole("dialog", { name: "Cancel this booking?" });
      await dialog.waitFor();
      await textMatching(dialog.getByTestId("cancel-outcome"), /you get all of 0\.01 ETH back now/);
      await expectNothingWider(page, "the cancel dialog");
      await expectAccessible(page);
      const box = await dialog.getByTestId("confirm-cancel").boundingBox();
      assert.ok(box && box.height >= 44, "the confirm button is a 44 px target");
      await dialog.getByTestId("confirm-cancel").click();

      // The receipt on the card (the booking is past now) and a toast that says what happened.
      await textMatching(card.getByTestId("receipt"), /Cancelled\. 0\.01 ETH came back to you/);
      await textMatching(
        page.locator('[data-testid="tx-toast"][data-step="confirmed"]'),
        /Cancelled: 0\.01 ETH back to you/,
      );
      await page.getByTestId("group-past").locator(byId).waitFor();
      await expectNothingWider(page, "My bookings after the cancel");
      await expectAccessible(page);
      await w.close();
    },
  );
});
