// A dispute from booking to ruling in a real browser: a customer books a demo offering that names an arbiter,
// disputes once the slot has started and says why, and the arbiter finds it in the console with that reason and
// rules a refund share; both sides are paid their exact shares at once.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, http, parseEther } from "viem";
import { decodeBookingId, earnestEscrowAbi, split } from "@earnest/sdk";
import { balance, bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import { ACCOUNTS, connect, increaseTime, openApp, stack, type Stack, freshChainForEachTest } from "./harness.js";

/** Seeded offering 1: Trattoria Luce's dinner table (merchant #1, 0.01 ETH a seat), arbiter #9. */
const OFFERING = 1;
const MERCHANT = ACCOUNTS[1];
/** What the customer tells the arbiter (a Chinese phrase too: the limit counts bytes). */
const REASON = "Our table was given away when we arrived at 19:05. 我们准时到了。";

let s: Stack;

describe("arbiter", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("sees the dispute assigned to it and resolves it with a refund share", async () => {
    const c = await openApp(s, { account: 7 });
    await connect(c.page);
    const { bookingId } = await bookFirstSlot(s, c, OFFERING);
    const { slotStart } = decodeBookingId(bookingId);

    await increaseTime(s.node, slotStart + 60 - (await chainNow(s)));
    await c.page.goto(`${s.appUrl}#/bookings`);
    await reload(c);
    const row = c.page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
    await row.getByTestId("dispute").click();
    await row.getByTestId("dispute-reason-input").fill(REASON);
    await row.getByTestId("confirm-dispute").click();
    await confirmed(c.page, "Dispute");
    await textMatching(row.getByTestId("dispute-reason"), /Your dispute: “Our table was given away/);

    const a = await openApp(s, { account: 9, hashPath: "/merchant/disputes" });
    await connect(a.page);
    const card = a.page.locator(`[data-testid="dispute"][data-booking-id="${bookingId}"]`);
    assert.equal(await card.getByTestId("dispute-reason").textContent(), REASON);
    await card.getByTestId("dispute-share").fill("40");
    const client = createPublicClient({ transport: http(s.node.url) });
    const [{ feeBps }, { payout }] = await Promise.all([
      client.readContract({
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "config",
      }),
      client.readContract({
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "getMerchant",
        args: [MERCHANT],
      }),
    ]);
    const expected = split(parseEther("0.01"), 4_000, feeBps);
    await textMatching(card.getByTestId("dispute-preview"), /40 % refund: the customer gets 0\.004 ETH/);

    const customer = ACCOUNTS[7];
    const [customerBefore, payoutBefore] = [await balance(s, customer), await balance(s, payout)];
    await card.getByTestId("dispute-resolve").click();
    await confirmed(a.page, "Resolve dispute");
    assert.equal((await balance(s, customer)) - customerBefore, expected.customerShare);
    assert.equal((await balance(s, payout)) - payoutBefore, expected.merchantShare);
    await card.waitFor({ state: "detached" });

    await a.close();
    await c.close();
  });
});
