// The pass in the hand, at 390×844: booked online, it names the venue, offering, seats, deposit and the time on the
// venue's clock; nothing is wider than the screen; axe finds nothing; its .ics carries the venue's zone; and visitors
// in three time zones read the same venue time.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { createPublicClient, http } from "viem";
import { earnestEscrowAbi } from "@earnest/sdk";
import { walletContext } from "../../test/support/local-stack.js";
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

describe("the pass on a phone", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("shows its details in the venue's time, fits the screen, exports an .ics with the venue's zone, and reads the same in three zones", async () => {
    const context = await walletContext(s.browser, { rpcUrl: s.node.url, account: 6, viewport: PHONE });
    context.setDefaultTimeout(PATIENCE);
    const page = await context.newPage();
    await page.goto(`${s.appUrl}#/`);
    await connect(page);
    await page.goto(`${s.appUrl}#/offerings/${DINNER}`);
    await page.getByTestId("slot").and(page.locator(":enabled")).first().click();
    await page.getByTestId("seats").fill("2");
    await page.getByTestId("details-name").fill("Ada Lovelace");
    await page.getByTestId("details-contact").fill("ada@example.org");
    await page.getByTestId("details-notes").fill(NOTES);
    await page.getByTestId("pay").click();
    await page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
    const passLink = page.url();
    const bookingId = BigInt((await page.getByTestId("pass-booking-id").textContent()) ?? "");
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

    // Three visitors, three zones: the venue's time reads the same; each sees their own in brackets where it differs.
    const texts = new Map<string, string>();
    for (const timezoneId of [ROME, "Asia/Shanghai", "America/New_York"]) {
      const visitor = await s.browser.newContext({ timezoneId, locale: "en", viewport: PHONE, isMobile: true });
      visitor.setDefaultTimeout(PATIENCE);
      const view = await visitor.newPage();
      await view.goto(passLink);
      await view.locator('[data-testid="pass"][data-source="chain"]').waitFor();
      texts.set(timezoneId, (await view.getByTestId("pass-slot").textContent()) ?? "");
      await visitor.close();
    }
    const venuePart = (text: string) => text.slice(0, text.indexOf(ROME) + ROME.length);
    assert.equal(new Set([...texts.values()].map(venuePart)).size, 1, [...texts.values()].join(" | "));
    assert.equal(texts.get(ROME), venuePart(texts.get(ROME)!), "no bracket for a visitor in the venue's zone");
    for (const zone of ["Asia/Shanghai", "America/New_York"]) assert.match(texts.get(zone)!, /your time\)$/);
  });
});
