// Check-in at the door in a real browser against the seeded chain: the customer signs "I am here" on the pass (on a
// phone), the merchant scans the signed code and checks the booking in with it; and the merchant's word, which
// counts only from the slot's start, is refused before it with the time it opens in the venue's zone (on the pass
// check and on the day's list, where the slot's time is labelled with the zone too).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, http } from "viem";
import { decodeBookingId, earnestEscrowAbi } from "@earnest/sdk";
import { bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import {
  ACCOUNTS,
  connect,
  freshChainForEachTest,
  increaseTime,
  openApp,
  PATIENCE,
  stack,
  type Stack,
  type WalletPage,
} from "./harness.js";

/** Seeded offering 1: Trattoria Luce's dinner table (merchant #1, Europe/Rome), the merchant's word accepted. */
const DINNER = 1;
/** Seeded offering 3: Kyoto Tea Room's tea ceremony (merchant #2, Asia/Tokyo), customer-signed check-in only. */
const TEA = 3;
const MINUTE = 60;

let s: Stack;

/** The merchant pastes a pass link into the pass check and waits for it to verify. */
async function checkPass(m: WalletPage, link: string): Promise<void> {
  await m.page.getByTestId("pass-input").fill(link);
  await m.page.getByTestId("pass-verify").click();
  await m.page.locator('[data-testid="pass-result"][data-result="valid"]').waitFor();
}

/** A time as the dApp writes it in the venue's zone ("12 May 2030, 19:00 Europe/Rome"), with the narrow spaces some
 *  ICU versions put before AM/PM made plain. */
function venueTime(seconds: number, timeZone: string): string {
  const time = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(seconds * 1000),
  );
  return plain(`${time} ${timeZone}`);
}

const plain = (text: string) => text.replace(/\s/g, " ");

function escrowClient() {
  return createPublicClient({ transport: http(s.node.url) });
}

describe("check-in", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("the customer signs the check-in code on the pass and the merchant checks the booking in from it", async () => {
    const c = await openApp(s, { account: 6, phone: true });
    await connect(c.page);
    const { passLink, bookingId } = await bookFirstSlot(s, c, TEA);
    const { slotStart } = decodeBookingId(bookingId);
    // More than an hour before the start, the pass says when signing opens, in the venue's zone.
    const opens = plain(await textMatching(c.page.getByTestId("pass-sign-opens"), /From .* you can sign it here/));
    assert.ok(opens.includes(venueTime(slotStart - 60 * MINUTE, "Asia/Tokyo")), opens);

    // Without the customer's signature, this offering cannot be checked in at all.
    const m = await openApp(s, { account: 2, hashPath: "/merchant/day" });
    await connect(m.page);
    await checkPass(m, passLink);
    await m.page.getByTestId("check-in-needs-signature").waitFor();
    assert.equal(await m.page.getByTestId("pass-check-in").count(), 0);

    // Half an hour before the start, at the venue, the customer signs "I am here": a signature, no transaction.
    await increaseTime(s.node, slotStart - 30 * MINUTE - (await chainNow(s)));
    await reload(c);
    await c.page.getByTestId("pass-sign-check-in").click();
    await c.page.getByTestId("pass-signed").waitFor();
    const signedLink = await c.page.getByTestId("pass-code").inputValue();
    assert.notEqual(signedLink, passLink);
    // (The wallet's log starts at the reload above.)
    const requests = await c.walletRequests();
    assert.ok(requests.includes("eth_signTypedData_v4"), "the check-in was signed as typed data");
    assert.equal(requests.filter((r) => r === "eth_sendTransaction").length, 0, "signing sent no transaction");

    // The front desk scans the signed code and submits it.
    await reload(m);
    await checkPass(m, signedLink);
    const checkIn = m.page.getByTestId("pass-check-in");
    assert.equal(await checkIn.getAttribute("data-kind"), "customerSigned");
    await checkIn.click();
    await confirmed(m.page, "Check in (signed code)");
    const booking = await escrowClient().readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });
    assert.equal(booking.checkedIn, true);

    // The customer's pass shows it, and the booking can no longer be cancelled.
    await c.page.getByTestId("pass-checked-in").waitFor({ timeout: PATIENCE });
    // (Reloaded: the customer's own browser learns of the desk's transaction when it reads the chain again.)
    await c.page.goto(`${s.appUrl}#/bookings`);
    await reload(c);
    const row = c.page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
    await textMatching(row, /checked in/);
    assert.equal(await row.getByTestId("cancel").count(), 0);
    await m.close();
    await c.close();
  });

  it("refuses the merchant's word before the slot starts and says when it opens, in the venue's zone", async () => {
    const c = await openApp(s, { account: 4 });
    await connect(c.page);
    const { passLink, bookingId } = await bookFirstSlot(s, c, DINNER);
    const { slotStart } = decodeBookingId(bookingId);
    await increaseTime(s.node, slotStart - 30 * MINUTE - (await chainNow(s)));

    const m = await openApp(s, { account: 1, hashPath: "/merchant/day" });
    await connect(m.page);
    await checkPass(m, passLink);
    const checkIn = m.page.getByTestId("pass-check-in");
    assert.equal(await checkIn.getAttribute("data-kind"), "merchantWord");
    assert.equal(await checkIn.isDisabled(), true);
    const opens = plain((await m.page.getByTestId("check-in-opens").textContent()) ?? "");
    assert.ok(opens.startsWith(`Your word counts from the start of the slot, ${venueTime(slotStart, "Europe/Rome")}`));
    // The day's list says the same on its own check-in button.
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(new Date(slotStart * 1000));
    await m.page.getByTestId("day-date").fill(day);
    const rowButton = m.page
      .locator(`[data-testid="day-booking"][data-booking-id="${bookingId}"]`)
      .getByTestId("check-in");
    assert.equal(await rowButton.isDisabled(), true);
    assert.ok(plain((await rowButton.getAttribute("title")) ?? "").includes(venueTime(slotStart, "Europe/Rome")));
    // On a phone there is no hover: the row says it too, with the signed code's earlier opening told apart, and
    // the slot's time is labelled with the venue's zone.
    const note = plain(
      await textMatching(
        m.page.locator(`[data-testid="day-booking"][data-booking-id="${bookingId}"]`).getByTestId("check-in-opens-at"),
        /Your word counts from/,
      ),
    );
    assert.ok(note.includes(`from the slot's start, ${venueTime(slotStart, "Europe/Rome")}`), note);
    assert.ok(note.includes(`counts from ${venueTime(slotStart - 60 * MINUTE, "Europe/Rome")}`), note);
    const slotTime = m.page
      .locator(`[data-testid="day-slot"][data-slot-start="${slotStart}"]`)
      .getByTestId("slot-time");
    await textMatching(slotTime, /Europe\/Rome/);
    // The contract agrees: its simulation refuses with CheckInClosed.
    await assert.rejects(
      escrowClient().simulateContract({
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "checkIn",
        args: [bookingId],
        account: ACCOUNTS[1],
      }),
      /CheckInClosed/,
    );

    // From the start, the merchant's word checks the customer in.
    await increaseTime(s.node, slotStart + MINUTE - (await chainNow(s)));
    await reload(m);
    await checkPass(m, passLink);
    await m.page.getByTestId("pass-check-in").click();
    await confirmed(m.page, "Check in");
    await m.page.locator('[data-testid="pass-status"]', { hasText: "checked in" }).waitFor();
    await m.close();
    await c.close();
  });
});
