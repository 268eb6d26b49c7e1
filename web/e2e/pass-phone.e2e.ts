// The pass in the hand, at 390×844: booked online, it names the venue, offering, seats, deposit and the time on the
// venue's clock; nothing is wider than the screen; axe finds nothing; its .ics carries the venue's zone; and visitors
// in three time zones read the same venue time.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { createPublicClient, http } from "viem";
import { earnestEscrowAbi } from "@earnest/sdk";
import { previewApp, walletContext } from "../../test/support/local-stack.js";
import { axeAvailable, expectAccessible } from "./a11y.js";
import { connect, freshChainForEachTest, PATIENCE, stack, type Stack } from "./harness.js";

const PHONE = { width: 390, height: 844 };
/** Seeded offering 1: Trattoria Luce's dinner table (Europe/Rome, a 0.01 ETH deposit per seat). */
const DINNER = 1;
const ROME = "Europe/Rome";
// One unbroken word: it must wrap inside the screen rather than widen the pass.
const NOTES = `Allergies:${"nuts-and-shellfish-".repeat(6)}window-table-please`;

let s: Stack;

/** Elements of the pass whose right edge passes the viewport's (the page scrolls sideways), named for the failure
 *  message. The app's header is the app shell's (checked by its own phone tests). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('[data-testid="pass"], [data-testid="pass"] *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map(
        (e) => `${e.tagName.toLowerCase()}${e.getAttribute("data-testid") ? `[${e.getAttribute("data-testid")}]` : ""}`,
      );
  });
}

/** The wall clock of `seconds` in `timeZone` as an iCalendar local DATE-TIME ("20261210T200000"). */
function icsLocal(seconds: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(seconds * 1000))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}

/** The .ics lines unfolded (RFC 5545 §3.1), CRLF line ends required. */
function icsLines(text: string): string[] {
  assert.ok(text.startsWith("BEGIN:VCALENDAR\r\n") && text.endsWith("END:VCALENDAR\r\n"), text);
  return text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean);
}

/** Books two seats of the dinner's first free slot from `appUrl` and waits for the pass, verified; its booking id. */
async function bookDinner(page: Page, appUrl: string): Promise<bigint> {
  await page.goto(`${appUrl}#/`);
  await connect(page);
  await page.goto(`${appUrl}#/offerings/${DINNER}`);
  await page.getByTestId("slot").and(page.locator(":enabled")).first().click();
  await page.getByTestId("seats").fill("2");
  await page.getByTestId("details-name").fill("Ada Lovelace");
  await page.getByTestId("details-contact").fill("ada@example.org");
  await page.getByTestId("details-notes").fill(NOTES);
  await page.getByTestId("pay").click();
  await page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
  return BigInt((await page.getByTestId("pass-booking-id").textContent()) ?? "");
}

/** What the pass shows a guest and the door. */
async function passDetails(page: Page): Promise<Record<string, string | null>> {
  const ids = ["pass-venue", "pass-offering", "pass-slot", "pass-seats", "pass-amount", "pass-booking-id"];
  const texts = await Promise.all(ids.map((id) => page.getByTestId(id).textContent()));
  return Object.fromEntries(ids.map((id, i) => [id, texts[i]]));
}

/** Waits until the service worker controls `page` and keeps the document and every built file it loaded. */
async function keptByWorker(page: Page): Promise<void> {
  const deadline = Date.now() + PATIENCE;
  for (;;) {
    const missing = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return ["(no controlling worker)"];
      const names = await caches.keys();
      const urls = [
        new URL("./", location.href).href,
        ...performance
          .getEntriesByType("resource")
          .map((entry) => entry.name)
          .filter((url) => new URL(url).origin === location.origin && new URL(url).pathname.includes("/assets/")),
      ];
      const kept = await Promise.all(urls.map((url) => caches.match(url, { ignoreSearch: true, ignoreVary: true })));
      return names.length === 0 ? ["(no cache)"] : urls.filter((_, i) => !kept[i]);
    });
    if (missing.length === 0) return;
    assert.ok(Date.now() < deadline, `the service worker does not keep: ${missing.join(", ")}`);
    await page.waitForTimeout(250);
  }
}

describe("the pass on a phone", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("shows its details in the venue's time, fits the screen, exports an .ics with the venue's zone, and reads the same in three zones", async () => {
    const context = await walletContext(s.browser, { rpcUrl: s.node.url, account: 6, viewport: PHONE });
    context.setDefaultTimeout(PATIENCE);
    const page = await context.newPage();
    const bookingId = await bookDinner(page, s.appUrl);
    const passLink = page.url();
    const client = createPublicClient({ transport: http(s.node.url) });
    const booking = await client.readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });

    // Online: what the door and the guest need, on the venue's clock, labelled with its zone.
    await page.locator('[data-testid="pass"][data-source="chain"]').waitFor();
    assert.equal(await page.getByTestId("pass-venue").textContent(), "Trattoria Luce");
    assert.ok(((await page.getByTestId("pass-offering").textContent()) ?? "").length > 0);
    assert.equal(await page.getByTestId("pass-seats").textContent(), "2");
    assert.equal(await page.getByTestId("pass-amount").textContent(), "0.02 ETH");
    const slotText = (await page.getByTestId("pass-slot").textContent()) ?? "";
    assert.ok(slotText.includes(ROME), slotText);
    assert.equal(await page.getByTestId("pass-status").getAttribute("data-status"), "1");
    assert.deepEqual(await overflowing(page), []);
    if (axeAvailable) await expectAccessible(page);

    // Add to calendar: the event is on the venue's clock, with the zone it names defined.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("pass-calendar").click()]);
    const lines = icsLines(await readFile(await download.path(), "utf8"));
    assert.ok(lines.includes("BEGIN:VTIMEZONE") && lines.includes(`TZID:${ROME}`), lines.join("\n"));
    assert.ok(lines.includes(`DTSTART;TZID=${ROME}:${icsLocal(booking.slotStart, ROME)}`), lines.join("\n"));
    assert.ok(lines.some((line) => line.startsWith(`DTEND;TZID=${ROME}:`)));
    await context.close();

    // Three visitors, three zones: the venue's time reads the same on the pass, in the customer's My bookings and in
    // the merchant's day view; each sees their own time in brackets where it differs.
    const venueDate = new Intl.DateTimeFormat("en-CA", { timeZone: ROME }).format(new Date(booking.slotStart * 1000));
    const seen = new Map<string, { pass: string; bookings: string; day: string }>();
    for (const timezoneId of [ROME, "Asia/Shanghai", "America/New_York"]) {
      const customer = await walletContext(s.browser, { rpcUrl: s.node.url, account: 6, viewport: PHONE, timezoneId });
      customer.setDefaultTimeout(PATIENCE);
      const view = await customer.newPage();
      await view.goto(passLink);
      await view.locator('[data-testid="pass"][data-source="chain"]').waitFor();
      const pass = (await view.getByTestId("pass-slot").textContent()) ?? "";
      await view.goto(`${s.appUrl}#/`);
      await connect(view);
      await view.goto(`${s.appUrl}#/bookings`);
      const card = view.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
      const bookings = (await card.getByTestId("booking-time").textContent()) ?? "";
      await customer.close();

      const merchant = await walletContext(s.browser, { rpcUrl: s.node.url, account: 1, viewport: PHONE, timezoneId });
      merchant.setDefaultTimeout(PATIENCE);
      const desk = await merchant.newPage();
      await desk.goto(`${s.appUrl}#/`);
      await connect(desk);
      await desk.goto(`${s.appUrl}#/merchant/day`);
      await desk.getByTestId("day-date").fill(venueDate);
      const slot = desk.locator(`[data-testid="day-slot"][data-slot-start="${booking.slotStart}"]`);
      const day = (await slot.getByTestId("slot-time").textContent()) ?? "";
      await merchant.close();
      seen.set(timezoneId, { pass, bookings, day });
    }
    const venuePart = (text: string) => text.slice(0, text.indexOf(ROME) + ROME.length);
    const all = JSON.stringify(Object.fromEntries(seen));
    const passes = [...seen.values()].map((v) => venuePart(v.pass));
    assert.equal(new Set(passes).size, 1, all);
    assert.ok(passes[0].endsWith(ROME), all);
    for (const [zone, { pass, bookings, day }] of seen) {
      assert.equal(bookings, pass, `My bookings and the pass agree for a visitor in ${zone}: ${all}`);
      // The day view names the day above its list: the venue's time of day, labelled with the same zone.
      assert.ok(passes[0].endsWith(venuePart(day)), `the day view agrees for a visitor in ${zone}: ${all}`);
      if (zone === ROME) assert.ok(pass === venuePart(pass) && day === venuePart(day), `no bracket in ${zone}: ${all}`);
      else assert.ok(/your time\)$/.test(pass) && /your time\)$/.test(day), `the viewer's time in ${zone}: ${all}`);
    }
  });

  it("opens again with the network cut, with the details the chain last confirmed", async () => {
    // The app from a server of its own, closed once the pass was seen: offline means the app's origin is gone too,
    // not only the chain.
    const app = await previewApp(s.appDir);
    const context = await walletContext(s.browser, {
      rpcUrl: s.node.url,
      account: 6,
      viewport: PHONE,
      serviceWorkers: "allow",
    });
    context.setDefaultTimeout(PATIENCE);
    try {
      const page = await context.newPage();
      await bookDinner(page, app.url);
      await page.locator('[data-testid="pass"][data-source="chain"]').waitFor();
      const online = await passDetails(page);
      await keptByWorker(page);

      await app.server.close();
      await context.setOffline(true);
      await page.reload();
      await page.locator('[data-testid="pass"][data-source="device"]').waitFor();
      await page.locator('[data-testid="pass-as-of"][data-offline="true"]').waitFor();
      assert.deepEqual(await passDetails(page), online);
      assert.equal(await page.getByTestId("pass-status").getAttribute("data-status"), "1");
      assert.deepEqual(await overflowing(page), []);
    } finally {
      await context.close();
      await app.server.close();
    }
  });
});
