// Nobody waits on the merchant, in a real browser: a customer who did not come settles their own booking from My
// bookings once its dispute window has passed, and gets the offering's no-show share; the merchant's share goes to
// its payout address in the same transaction.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, erc20Abi, http, type Address } from "viem";
import { decodeBookingId, earnestEscrowAbi, split } from "@earnest/sdk";
import { bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import { ACCOUNTS, connect, freshChainForEachTest, increaseTime, openApp, stack, type Stack } from "./harness.js";

/** Seeded offering 5: Harbour Yoga's morning flow (merchant #3, paid to itself): 10 mUSD a seat, 1 h slots, no
 *  arbiter (so a 2 h dispute window), half the deposit back for a no-show. */
const MORNING_FLOW = 5;
const HOUR = 3600;

let s: Stack;

describe("settle", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("lets the customer settle a no-show the merchant never claimed, paying the no-show share", async () => {
    const customer = ACCOUNTS[5];
    const c = await openApp(s, { account: 5, phone: true });
    await connect(c.page);
    const { bookingId } = await bookFirstSlot(s, c, MORNING_FLOW);
    const { slotStart } = decodeBookingId(bookingId);
    const client = createPublicClient({ transport: http(s.node.url) });
    const escrow = { address: s.node.escrow, abi: earnestEscrowAbi } as const;
    const [booking, { payout }] = await Promise.all([
      client.readContract({ ...escrow, functionName: "getBooking", args: [bookingId] }),
      client.readContract({ ...escrow, functionName: "getMerchant", args: [ACCOUNTS[3]] }),
    ]);
    // The SPEC's split: half the amount to the customer, the fee out of the rest, the merchant keeps what is left.
    const expected = split(booking.amount, 5_000, booking.feeBps);
    const mUsd = (account: Address) =>
      client.readContract({ address: s.node.stablecoin, abi: erc20Abi, functionName: "balanceOf", args: [account] });

    // Not before the slot and its dispute window are over.
    await increaseTime(s.node, slotStart + HOUR + 2 * HOUR - 60 - (await chainNow(s)));
    await c.page.goto(`${s.appUrl}#/bookings`);
    await reload(c);
    const row = c.page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId("settle").count(), 0);

    await increaseTime(s.node, 120);
    await reload(c);
    await textMatching(row.getByTestId("settle-preview"), /by anyone: you get 5 mUSD back\./);
    const [customerBefore, payoutBefore] = [await mUsd(customer), await mUsd(payout)];
    await row.getByTestId("settle").click();
    await confirmed(c.page, "Settle booking");
    assert.equal((await mUsd(customer)) - customerBefore, expected.customerShare);
    assert.equal((await mUsd(payout)) - payoutBefore, expected.merchantShare);
    await textMatching(row.getByTestId("status"), /no-show/);
    await c.close();
  });
});
