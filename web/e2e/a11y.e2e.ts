// Accessibility of the screens settlement core v2 added, checked with axe-core (WCAG 2.1 A/AA) in a real browser
// as a customer on a phone and a merchant or its staff on a desktop see them: the policy builder with the check-in
// rule and the fee, the pass before and after signing "I am here", My bookings with the dispute form and the settle
// button, the pass check holding a signed code, the staff panel and the staff's front desk; and on a phone, the
// arbiter's own entry, the console as an arbiter first sees it, and the analytics with their labelled charts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, http, parseEventLogs } from "viem";
import {
  checkInTypedData,
  decodeBookingId,
  earnestEscrowAbi,
  encodePass,
  hashDetails,
  newSalt,
  slotsBetween,
} from "@earnest/sdk";
import { testAccount } from "../../test/support/test-accounts.js";
import { axeAvailable, expectAccessible } from "./a11y.js";
import { bookFirstSlot, chainNow, reload } from "./console-helpers.js";
import { ACCOUNTS, connect, freshChainForEachTest, increaseTime, openApp, stack, type Stack } from "./harness.js";

/** Seeded offering 1: Trattoria Luce's dinner table (merchant #1), with an arbiter; 2 h slots, 1 day to dispute. */
const DINNER = 1;
const HOUR = 3600;
const DAY = 24 * HOUR;
const skip = axeAvailable ? false : "axe-core is not installed";

let s: Stack;

describe("accessibility", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("keeps the customer's new screens accessible on a phone", { skip }, async () => {
    const c = await openApp(s, { account: 7, phone: true });
    await connect(c.page);
    await c.page.goto(`${s.appUrl}#/offerings/${DINNER}`);
    await c.page.getByTestId("policy-check-in").waitFor();
    await expectAccessible(c.page);

    const { bookingId } = await bookFirstSlot(s, c, DINNER);
    const { slotStart } = decodeBookingId(bookingId);
    await increaseTime(s.node, slotStart - HOUR / 2 - (await chainNow(s)));
    await reload(c);
    await c.page.getByTestId("pass-sign-check-in").waitFor();
    await expectAccessible(c.page);
    await c.page.getByTestId("pass-sign-check-in").click();
    await c.page.getByTestId("pass-signed").waitFor();
    await expectAccessible(c.page);

    await increaseTime(s.node, slotStart + 60 - (await chainNow(s)));
    await c.page.goto(`${s.appUrl}#/bookings`);
    await reload(c);
    const row = c.page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
    await row.getByTestId("dispute").click();
    await row.getByTestId("dispute-reason-input").fill("x".repeat(300));
    await row.getByTestId("dispute-reason-too-long").waitFor();
    await expectAccessible(c.page);

    await increaseTime(s.node, slotStart + 2 * HOUR + DAY - (await chainNow(s)));
    await reload(c);
    await row.getByTestId("settle").waitFor();
    await expectAccessible(c.page);
    await c.close();
  });

  it("keeps the merchant's new screens accessible", { skip }, async () => {
    // A booking made and a check-in signed outside the browser: the pass the customer would show.
    const customer = testAccount(6);
    const details = { name: "Grace Hopper", contact: "", notes: "" };
    const salt = newSalt();
    const transport = http(s.node.url);
    const client = createPublicClient({ transport });
    const wallet = createWalletClient({ account: customer.address, transport });
    const offering = await client.readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "getOffering",
      args: [DINNER],
    });
    const from = (await chainNow(s)) + 2 * HOUR;
    const [slotStart] = slotsBetween(offering, from, from + 7 * 24 * HOUR, 1);
    const hash = await wallet.writeContract({
      chain: null,
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "book",
      args: [DINNER, slotStart, 1, hashDetails(details, salt)],
      value: offering.depositPerSeat,
    });
    const [booked] = parseEventLogs({
      abi: earnestEscrowAbi,
      eventName: "Booked",
      logs: (await client.waitForTransactionReceipt({ hash })).logs,
    });
    const bookingId = booked.args.bookingId;
    const checkIn = await customer.signTypedData(
      checkInTypedData({ chainId: 31337, escrow: s.node.escrow, bookingId }),
    );
    const token = encodePass({ chainId: 31337, escrow: s.node.escrow, bookingId, details, salt, checkIn });
    await increaseTime(s.node, slotStart - HOUR / 2 - (await chainNow(s)));

    const m = await openApp(s, { account: 1, hashPath: "/merchant/day" });
    await connect(m.page);
    await m.page.getByTestId("pass-input").fill(`${s.appUrl}#/pass/${token}`);
    await m.page.getByTestId("pass-verify").click();
    await m.page.locator('[data-testid="pass-result"][data-signed="true"]').waitFor();
    await expectAccessible(m.page);

    await m.page.getByTestId("tab-staff").click();
    await m.page.getByTestId("staff-form").waitFor();
    await m.page.getByTestId("staff-address").fill(ACCOUNTS[13]);
    await m.page.getByTestId("staff-consequence").waitFor();
    await expectAccessible(m.page);

    await m.page.getByTestId("tab-overview").click();
    await m.page.getByTestId("new-offering").click();
    await m.page.getByTestId("offering-check-in-rule").waitFor();
    await expectAccessible(m.page);
    await m.close();

    const desk = await openApp(s, { account: 10, hashPath: "/merchant/desk" });
    await connect(desk.page);
    await desk.page.getByTestId("front-desk").waitFor();
    await expectAccessible(desk.page);
    await desk.close();
  });

  it(
    "keeps the arbiter's entry and the analytics accessible on a phone, without sideways scrolling",
    { skip },
    async () => {
      const a = await openApp(s, { account: 9, phone: true, hashPath: "/arbiter" });
      await connect(a.page);
      await a.page.getByTestId("disputes-count").waitFor();
      await expectAccessible(a.page);
      await expectNoSidewaysScroll(a.page);
      await a.page.goto(`${s.appUrl}#/merchant`);
      await a.page.getByTestId("arbiter-register").click();
      await a.page.getByTestId("merchant-name").waitFor();
      await expectAccessible(a.page);
      await expectNoSidewaysScroll(a.page);
      await a.close();

      const m = await openApp(s, { account: 1, phone: true, hashPath: "/merchant/analytics" });
      await connect(m.page);
      await m.page.getByTestId("heat-map").waitFor();
      await expectAccessible(m.page);
      await expectNoSidewaysScroll(m.page);
      await m.close();
    },
  );
});

/** The page fits the phone's width: nothing makes it scroll sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide on a ${clientWidth} px screen`);
}

/** The first slot of `offering`'s grid that starts at or after `time`. */
