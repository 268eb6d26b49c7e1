// The customer's flows in a real browser against a local chain: connect, book and pay (ETH, and the stablecoin
// by permit), see the pass verified, cancel and get the refund, a rejected signature that changes nothing, the
// wrong network blocked, a full slot refused, and a refund kept as a credit then withdrawn.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { encodeFunctionData, formatEther, parseEther, type Hex } from "viem";
import { earnestEscrowAbi } from "@earnest/sdk";
import { balance, bookFirstSlot, confirmed, reload, textMatching } from "./console-helpers.js";
import {
  ACCOUNTS,
  connect,
  openApp,
  stack,
  type Stack,
  type WalletPage,
  freshChainForEachTest,
  PATIENCE,
} from "./harness.js";

let s: Stack;

/** Opens an offering, picks the first slot with seats (on a day `daysAhead` from today, if given), fills the form. */
async function chooseSlot(w: WalletPage, offeringId: number, seats = 1, daysAhead?: number): Promise<void> {
  await w.page.goto(`${s.appUrl}#/offerings/${offeringId}`);
  if (daysAhead !== undefined) {
    const day = new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
    await w.page.getByTestId("date").fill(day);
  }
  const slot = w.page.getByTestId("slot").and(w.page.locator(":enabled")).first();
  await slot.click();
  await w.page.getByTestId("seats").fill(String(seats));
  await w.page.getByTestId("details-name").fill("Ada Lovelace");
  await w.page.getByTestId("details-contact").fill("ada@example.org");
}

describe("customer", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("connects a wallet announced over EIP-6963", async () => {
    const w = await openApp(s, { account: 4 });
    await connect(w.page);
    assert.match((await w.page.getByTestId("account").textContent()) ?? "", /^0x15d3/i);
    await w.close();
  });

  it("books with ETH, shows a verified pass, then cancels and the refund arrives", async () => {
    const w = await openApp(s, { account: 5 });
    await connect(w.page);
    await chooseSlot(w, 1, 1, 5); // five days ahead: inside the full-refund tier (48 h)
    await w.page.getByTestId("pay").click();
    await w.page.getByTestId("pass").waitFor({ timeout: PATIENCE });
    await w.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor();
    const bookingId = await w.page.getByTestId("pass-booking-id").textContent();

    // By the menu, as a customer would: the offering page keeps its date and slot in the URL's query, so loading
    // "#/bookings" afresh would reload the page and drop the wallet's session.
    await w.page.getByRole("link", { name: "My bookings" }).click();
    // The booking just made, by its id: the account has seeded bookings too, and which of them comes first depends on
    // the time of day (an earlier one may already be past its full refund); once cancelled it moves to the past.
    const booking = w.page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`);
    await textMatching(booking.getByTestId("refund-now"), /get 0\.01 ETH back/); // the 48 h tier refunds all of the 0.01 ETH deposit
    const customer = (await w.page.getByTestId("account").getAttribute("title"))!;
    const before = await balance(s, customer);
    await booking.getByTestId("cancel").click();
    // A confirmation that says what the customer gets, before anything is sent.
    const dialog = w.page.getByRole("dialog", { name: "Cancel this booking?" });
    await textMatching(dialog.getByTestId("confirm-cancel"), /Cancel and get 0\.01 ETH back/);
    await dialog.getByTestId("confirm-cancel").click();
    await w.page
      .locator('[data-testid="tx-toast"][data-step="confirmed"]')
      .filter({ hasText: "Cancel booking" })
      .waitFor({ timeout: PATIENCE });
    const gained = (await balance(s, customer)) - before;
    // The refund (0.01 ETH) less the gas the cancel cost: more than 0.0099 ETH came back.
    assert.ok(gained > 9_900_000_000_000_000n, `refund arrived: ${formatEther(gained)} ETH`);
    await w.close();
  });

  it("books with the stablecoin through a permit signature", async () => {
    // Account #0 holds mUSD but has never approved the escrow (the demo's customers have).
    const w = await openApp(s, { account: 0 });
    await connect(w.page);
    await chooseSlot(w, 2);
    await w.page.getByTestId("pay").click();
    await w.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
    const requests = await w.walletRequests();
    assert.ok(requests.includes("eth_signTypedData_v4"), "the permit was signed");
    assert.equal(requests.filter((m) => m === "eth_sendTransaction").length, 1, "one transaction: no approval");
    await w.close();
  });

  it("changes nothing when the signature is rejected in the wallet", async () => {
    const w = await openApp(s, { account: 7 });
    await connect(w.page);
    await chooseSlot(w, 1);
    const nonceBefore = await s.node.rpc<string>("eth_getTransactionCount", [
      await w.page.getByTestId("account").getAttribute("title"),
      "latest",
    ]);
    await w.rejectNext();
    await w.page.getByTestId("pay").click();
    const toast = w.page.locator('[data-testid="tx-toast"][data-step="failed"]');
    await toast.waitFor();
    assert.match((await toast.textContent()) ?? "", /declined in your wallet/);
    const nonceAfter = await s.node.rpc<string>("eth_getTransactionCount", [
      await w.page.getByTestId("account").getAttribute("title"),
      "latest",
    ]);
    assert.equal(nonceAfter, nonceBefore);
    assert.equal(await w.page.getByTestId("pass").count(), 0);
    await w.close();
  });

  it("on the wrong network, switches the wallet and carries on with the booking", async () => {
    const w = await openApp(s, { account: 8, chainId: 1 });
    await connect(w.page);
    await w.page.getByTestId("wrong-network").waitFor();
    await chooseSlot(w, 1);
    await w.page.getByTestId("pay").click();
    await w.page.getByTestId("wrong-network").waitFor({ state: "detached" });
    await w.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
    await w.close();
  });

  it("refuses a full slot with a clear message", async () => {
    // Offering 2 has 6 seats per slot: one customer takes them all, a second asks for one more in the same slot.
    const first = await openApp(s, { account: 4 });
    await connect(first.page);
    await chooseSlot(first, 4);
    const slotText = await first.page.locator(".slot.selected").textContent();
    const seatsLeft = Number(/Seats left: (\d+)/.exec(slotText ?? "")?.[1]);
    const second = await openApp(s, { account: 5 });
    await connect(second.page);
    await chooseSlot(second, 4);
    await first.page.getByTestId("seats").fill(String(seatsLeft));
    await first.page.getByTestId("pay").click();
    await first.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
    // The second page still shows the old seat count; the contract refuses and the dApp says why.
    await second.page.getByTestId("pay").click();
    const toast = second.page.locator('[data-testid="tx-toast"][data-step="failed"]');
    await toast.waitFor({ timeout: PATIENCE });
    assert.match((await toast.textContent()) ?? "", /This slot is full/);
    await first.close();
    await second.close();
  });

  it("withdraws a refund that was kept as a credit because the wallet refused it", async () => {
    const w = await openApp(s, { account: 4 });
    await connect(w.page);
    const { bookingId } = await bookFirstSlot(s, w, 1); // Trattoria Luce (account #1), 0.01 ETH a seat
    const customer = ACCOUNTS[4];
    // For a while the customer's address refuses ETH (as a smart wallet may): the merchant's cancel cannot pay the
    // refund, so the escrow keeps it as the customer's credit instead of failing the cancel.
    await s.node.rpc("hardhat_setCode", [customer, "0x60006000fd"]); // PUSH1 0 PUSH1 0 REVERT
    const hash = await s.node.rpc<Hex>("eth_sendTransaction", [
      {
        from: ACCOUNTS[1],
        to: s.node.escrow,
        data: encodeFunctionData({ abi: earnestEscrowAbi, functionName: "cancelByMerchant", args: [bookingId] }),
      },
    ]);
    const receipt = await s.node.rpc<{ status: Hex }>("eth_getTransactionReceipt", [hash]);
    assert.equal(receipt.status, "0x1");
    await s.node.rpc("hardhat_setCode", [customer, "0x"]);

    await w.page.goto(`${s.appUrl}#/bookings`);
    await reload(w);
    await textMatching(w.page.getByTestId("credits"), /0\.01 ETH/);
    // Sent to another address (the contract allows it, for an address a token blocks): it gets exactly the credit.
    const elsewhere = "0x000000000000000000000000000000000000bEEF";
    await w.page.getByText("Send to another address").click();
    await w.page.getByTestId("credit-recipient").fill("0x1234");
    assert.equal(await w.page.getByTestId("withdraw-credit").isDisabled(), true);
    await w.page.getByTestId("credit-recipient").fill(elsewhere);
    const before = await balance(s, elsewhere);
    await w.page.getByTestId("withdraw-credit").click();
    await confirmed(w.page, "Withdraw");
    assert.equal((await balance(s, elsewhere)) - before, parseEther("0.01"));
    await w.page.getByTestId("credits").waitFor({ state: "detached" });
    await w.close();
  });
});
