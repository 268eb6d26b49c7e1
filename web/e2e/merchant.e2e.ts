// The merchant's day in a real browser against a local chain: register, publish an offering through the policy
// builder, a customer books it, the merchant verifies the pass and checks the customer in on its word once the slot
// has started, time passes the dispute window, the claim pays the payout address exactly the predicted net and ends
// with a receipt (what was claimed, how much went where, the transaction), and analytics count it.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { readFile } from "node:fs/promises";
import { createPublicClient, formatEther, http, parseEther, parseEventLogs, type Hash } from "viem";
import {
  CheckInRule,
  decodeBookingId,
  describeCancellation,
  describeCheckIn,
  earnestEscrowAbi,
  split,
} from "@earnest/sdk";
import { balance, bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import { connect, increaseTime, openApp, stack, type Stack, freshChainForEachTest } from "./harness.js";

const HOUR = 3600;
const DAY = 24 * HOUR;
/** A fresh address that never sends a transaction, so its balance moves only by what it is paid. */
const PAYOUT = "0x00000000000000000000000000000000005eed01";

let s: Stack;

describe("merchant console", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("publishes an offering, verifies a customer's pass, checks them in and claims exactly the net", async () => {
    const m = await openApp(s, { account: 0, hashPath: "/merchant" });
    await connect(m.page);

    await m.page.getByTestId("merchant-name").fill("Harbour Kitchen");
    await m.page.getByTestId("merchant-payout").fill(PAYOUT);
    await m.page.getByTestId("merchant-save").click();
    await confirmed(m.page, "Register as a merchant");

    // Slots every 2 h from 18:00 UTC tomorrow (by the chain's clock), 0.01 ETH a seat, free cancellation until a
    // day before, no arbiter, a one-day dispute window.
    const tomorrow = new Date((await chainNow(s)) * 1000 + DAY * 1000).toISOString().slice(0, 10);
    await m.page.getByTestId("new-offering").click();
    await m.page.getByTestId("offering-name").fill("Harbour dinner");
    await m.page.getByTestId("offering-time-zone").fill("UTC");
    await m.page.getByTestId("offering-deposit").fill("0.01");
    await m.page.getByTestId("offering-first-date").fill(tomorrow);
    await m.page.getByTestId("offering-first-time").fill("18:00");
    // The preview is the customers' wording, from the sdk.
    assert.equal(
      await m.page.getByTestId("preview-cancellation").textContent(),
      describeCancellation([{ secondsBeforeStart: DAY, refundBps: 10_000 }], "en"),
    );
    assert.equal(
      await m.page.getByTestId("preview-check-in").textContent(),
      describeCheckIn(CheckInRule.MerchantWord, "en"),
    );
    // Nonsense is refused in the form: a second tier that refunds more than the first.
    await m.page.getByTestId("add-tier").click();
    await m.page.getByTestId("tier-1-before").fill("2");
    await m.page.getByTestId("tier-1-refund").fill("120");
    assert.deepEqual(
      await m.page.getByTestId("problem").evaluateAll((els) => els.map((e) => e.getAttribute("data-code"))),
      ["tierShareAboveWhole", "tierOutOfOrder"],
    );
    assert.equal(await m.page.getByTestId("publish").isDisabled(), true);
    await m.page.getByTestId("tier").nth(1).getByRole("button").click();
    await m.page.getByTestId("publish").click();
    await confirmed(m.page, "Publish offering");
    const offering = m.page.getByTestId("merchant-offering").first();
    await offering.waitFor();
    const offeringId = Number(await offering.getAttribute("data-offering-id"));

    const c = await openApp(s, { account: 6 });
    await connect(c.page);
    const { passLink, bookingId } = await bookFirstSlot(s, c, offeringId, { date: tomorrow });
    const { slotStart } = decodeBookingId(bookingId);
    assert.equal(slotStart, Date.parse(`${tomorrow}T18:00:00Z`) / 1000);

    // The pass matches the chain, but the merchant's word counts only from the slot's start.
    await m.page.getByTestId("tab-day").click();
    const verify = async () => {
      await m.page.getByTestId("pass-input").fill(passLink);
      await m.page.getByTestId("pass-verify").click();
      await m.page.locator('[data-testid="pass-result"][data-result="valid"]').waitFor();
    };
    await verify();
    assert.equal(await m.page.getByTestId("pass-name").textContent(), "Ada Lovelace");
    assert.equal(await m.page.getByTestId("pass-check-in").isDisabled(), true);
    // A tampered pass (another name, same salt) does not match the commitment.
    const tampered = passLink.replace(/#\/pass\/.*/, "#/pass/") + tamper(passLink.split("/pass/")[1]);
    await m.page.getByTestId("pass-input").fill(tampered);
    await m.page.getByTestId("pass-verify").click();
    await m.page.locator('[data-testid="pass-result"][data-result="mismatch"]').waitFor();

    await increaseTime(s.node, slotStart + 60 - (await chainNow(s)));
    await reload(m);
    await verify();
    await m.page.getByTestId("pass-check-in").click();
    await confirmed(m.page, "Check in");
    await m.page.locator('[data-testid="pass-status"]', { hasText: "checked in" }).waitFor();
    await m.page.getByTestId("day-date").fill(tomorrow);
    const row = m.page.locator(`[data-testid="day-booking"][data-booking-id="${bookingId}"]`);
    await textMatching(row, /booked · checked in/);
    await textMatching(
      m.page.locator(`[data-testid="day-slot"][data-slot-start="${slotStart}"]`).getByTestId("seats-left"),
      /3 of 4 seats left/,
    );

    // Past the slot and its dispute window, the claim pays the net (deposit less the fee) to the payout address.
    await increaseTime(s.node, slotStart + 2 * HOUR + DAY - (await chainNow(s)));
    await reload(m);
    await m.page.getByTestId("tab-claim").click();
    await m.page.locator(`[data-testid="claimable"][data-booking-id="${bookingId}"]`).waitFor();
    const client = createPublicClient({ transport: http(s.node.url) });
    const { feeBps } = await client.readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "config",
    });
    const expected = split(parseEther("0.01"), 0, feeBps).merchantShare;
    assert.equal(BigInt((await m.page.getByTestId("claim-total").getAttribute("data-amount")) ?? ""), expected);
    const before = await balance(s, PAYOUT);
    assert.equal(await m.page.getByTestId("claim-all").textContent(), "Claim 1 booking in one transaction");
    await m.page.getByTestId("claim-all").click();
    await confirmed(m.page, "Claim (1 of 1)");
    await textMatching(m.page.getByTestId("tx-step"), /^Claimed 1 booking$/);
    assert.equal((await balance(s, PAYOUT)) - before, expected);

    // The receipt stays once nothing is left to claim: the booking, the total and where it went, the transaction.
    const receipt = m.page.getByTestId("claim-receipt");
    await receipt.waitFor();
    assert.equal(await m.page.getByTestId("claim-none").count(), 0);
    await textMatching(receipt.getByTestId("receipt-count"), /^1 booking claimed:$/);
    assert.deepEqual(
      await receipt
        .getByTestId("receipt-booking")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-booking-id"))),
      [String(bookingId)],
    );
    const total = receipt.getByTestId("receipt-total");
    assert.equal(await total.count(), 1);
    assert.equal(BigInt((await total.getAttribute("data-amount")) ?? ""), expected);
    assert.equal(await total.getAttribute("data-token"), "0x0000000000000000000000000000000000000000");
    assert.equal((await total.getAttribute("data-payout"))?.toLowerCase(), PAYOUT);
    assert.equal((await receipt.getByTestId("receipt-payout").textContent())?.toLowerCase(), PAYOUT);
    await textMatching(total, new RegExp(`^${formatEther(expected).replace(".", "\\.")} ETH paid to`));
    const hash = (await receipt.getByTestId("receipt-tx").getAttribute("data-hash")) as Hash;
    const claimTx = await client.getTransactionReceipt({ hash });
    const claimed = parseEventLogs({ abi: earnestEscrowAbi, logs: claimTx.logs, eventName: "Claimed" });
    assert.deepEqual(
      claimed.map((l) => [l.args.payout.toLowerCase(), l.args.amount]),
      [[PAYOUT, expected]],
    );

    // Analytics for the new offering, computed from the same events: one booking, attended, and its revenue.
    await m.page.getByTestId("tab-analytics").click();
    await m.page.getByTestId("analytics-offering").selectOption(String(offeringId));
    await textMatching(m.page.getByTestId("analytics-bookings"), /^1 booking, 1 seat$/);
    await textMatching(m.page.getByTestId("analytics-no-show-rate"), /^0 %/);
    // Its one customer came for the first time: no repeat customers yet, said in numbers.
    const repeat = m.page.getByTestId("analytics-repeat");
    await textMatching(repeat, /^0 % \(0 of 1 fulfilled booking came from a customer/);
    // The revenue chart prints its value on the bar and names it for screen readers.
    const revenueChart = m.page.getByTestId("revenue-chart");
    assert.deepEqual(await revenueChart.getByTestId("bar-value").allTextContents(), [formatEther(expected)]);
    assert.match((await revenueChart.getAttribute("aria-label")) ?? "", new RegExp(`${formatEther(expected)} ETH`));
    const [download] = await Promise.all([
      m.page.waitForEvent("download"),
      m.page.getByTestId("analytics-csv").click(),
    ]);
    const csv = await readFile(await download.path(), "utf8");
    assert.ok(csv.includes(`revenueTotal,,ETH,${formatEther(expected)}`), csv);
    assert.ok(csv.includes("repeatCustomerShare,,,0"), csv);

    await m.close();
    await c.close();
  });

  it("signs a coupon in the wallet that a customer redeems through the booking flow", async () => {
    const m = await openApp(s, { account: 1, hashPath: "/merchant/coupons" }); // Trattoria Luce, offering 1 in ETH
    await connect(m.page);
    await m.page.getByTestId("coupon-offering").selectOption("1");
    await m.page.getByTestId("coupon-discount").fill("0.002");
    await m.page.getByTestId("coupon-sign").click();
    const link = await m.page.getByTestId("coupon-link").inputValue();
    assert.match(link, /#\/offerings\/1\/coupon\/[A-Za-z0-9_-]+$/);

    const c = await openApp(s, { account: 8 });
    await connect(c.page);
    const { bookingId } = await bookFirstSlot(s, c, 1, { url: link });
    const client = createPublicClient({ transport: http(s.node.url) });
    const booking = await client.readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });
    assert.equal(booking.amount, parseEther("0.008"));

    // The signed coupon is still listed after a reload, with its redemption read from the chain.
    await reload(m);
    const issued = m.page.getByTestId("coupon-issued").filter({ has: m.page.locator(`input[value="${link}"]`) });
    await textMatching(issued, /Used 1 of 10 times/);
    await m.close();
    await c.close();
  });
});

/** The pass with its name changed: still a well-formed pass, no longer the one committed to. */
function tamper(token: string): string {
  const json = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { d: string[] };
  json.d[0] = "Mallory";
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}
