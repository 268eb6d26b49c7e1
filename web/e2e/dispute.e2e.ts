// A dispute from booking to ruling in a real browser: a customer books a demo offering that names an arbiter,
// disputes once the slot has started and says why, and the arbiter (not a merchant) finds it on its own entry and in
// the console, counted and with that reason, and rules a refund share; both sides are paid their exact shares at once.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, http, parseEther } from "viem";
import {
  BookingStatus,
  buildLedger,
  createRpc,
  decodeBookingId,
  earnestEscrowAbi,
  readEscrowEvents,
  split,
} from "@earnest/sdk";
import { balance, bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import { ACCOUNTS, connect, increaseTime, openApp, stack, type Stack, freshChainForEachTest } from "./harness.js";

/** Seeded offering 1: Trattoria Luce's dinner table (merchant #1, 0.01 ETH a seat), arbiter #9. */
const OFFERING = 1;
const MERCHANT = ACCOUNTS[1];
/** What the customer tells the arbiter (a Chinese phrase too: the limit counts bytes). */
const REASON = "Our table was given away when we arrived at 19:05. 我们准时到了。";
const ARBITER = ACCOUNTS[9];

/** The open disputes the chain's events give the arbiter (the seed leaves one of its own). */
async function openDisputes(s: Stack): Promise<number> {
  const { events } = await readEscrowEvents(createRpc(s.node.url), { escrow: s.node.escrow, fromBlock: 0n });
  const ledger = buildLedger(events, { arbiter: ARBITER });
  return [...ledger.bookings.values()].filter((b) => b.status === BookingStatus.Disputed).length;
}

/** "1 open dispute", "2 open disputes". */
const openText = (n: number) => new RegExp(`^${n} open dispute${n === 1 ? "" : "s"}$`);

let s: Stack;

describe("arbiter", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("sees the dispute assigned to it and resolves it with a refund share", async () => {
    const c = await openApp(s, { account: 7 });
    await connect(c.page);
    const seeded = await openDisputes(s);
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

    // The arbiter's own entry: the open disputes counted, each with the customer's reason.
    const a = await openApp(s, { account: 9, hashPath: "/arbiter" });
    await connect(a.page);
    const count = a.page.getByTestId("disputes-count");
    assert.equal(await openDisputes(s), seeded + 1);
    await textMatching(count, openText(seeded + 1));
    assert.equal(await count.getAttribute("data-count"), String(seeded + 1));
    const entryCard = a.page.locator(`[data-testid="dispute"][data-booking-id="${bookingId}"]`);
    assert.equal(await entryCard.getByTestId("dispute-reason").textContent(), REASON);

    // The console too: an arbiter that is not a merchant lands on its disputes, not on a registration form with a
    // red error; registering stays one click away, its problems hidden until the arbiter types.
    await a.page.goto(`${s.appUrl}#/merchant`);
    await textMatching(a.page.getByTestId("tab-disputes"), new RegExp(`^Disputes \\(${seeded + 1}\\)$`));
    await textMatching(a.page.getByTestId("disputes-count"), openText(seeded + 1));
    assert.equal(await a.page.getByTestId("arbiter-register").getAttribute("open"), null);
    assert.equal(await a.page.getByTestId("profile-form").getByRole("alert").count(), 0);

    await a.page.getByTestId("tab-disputes").click();
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
    await textMatching(a.page.getByTestId("tx-step"), /^Ruled: 40 % refunded to the customer$/);
    assert.equal((await balance(s, customer)) - customerBefore, expected.customerShare);
    assert.equal((await balance(s, payout)) - payoutBefore, expected.merchantShare);
    await card.waitFor({ state: "detached" });
    await textMatching(a.page.getByTestId("disputes-count"), openText(seeded));

    await a.close();
    await c.close();
  });
});
