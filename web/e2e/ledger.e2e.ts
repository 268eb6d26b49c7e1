// Booking with a Ledger in a real browser, and signing the check-in on the pass with it. Headless Chromium has no
// WebHID device chooser, so the fake device (web/src/ledger/testing) is bundled and injected through the
// connector's test hook; the DMK, the Ethereum signer and the connector are the production ones, the booking lands
// on the local chain, and the check-in signed on the device is the one the escrow accepts.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { root } from "../../test/support/processes.js";
import type { BrowserContext, Page } from "playwright-core";
import { createPublicClient, encodeFunctionData, http, type Hex } from "viem";
import { decodeBookingId, decodePass, earnestEscrowAbi } from "@earnest/sdk";
import { chainNow } from "./console-helpers.js";
import { ACCOUNTS, stack, type Stack, freshChainForEachTest, increaseTime, PATIENCE } from "./harness.js";

let s: Stack;
let fakeLedgerScript: string;

/** The fake device as one script for `addInitScript`. */
async function bundleFakeLedger(): Promise<string> {
  const { build } = await import("vite");
  const output = await build({
    configFile: false,
    logLevel: "warn",
    build: {
      write: false,
      minify: false,
      lib: {
        entry: path.join(root, "web/src/ledger/testing/browserFake.ts"),
        formats: ["iife"],
        name: "earnestFakeLedger",
      },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if ("output" in result) return result.output[0].code;
  }
  throw new Error("vite produced no bundle for the fake Ledger");
}

describe("Ledger", () => {
  before(async () => {
    [s, fakeLedgerScript] = await Promise.all([stack(), bundleFakeLedger()]);
  });
  freshChainForEachTest();

  it("books through the Ledger connector and the transaction lands on the local chain", async () => {
    const { context, page } = await openWithLedger();
    const customer = ACCOUNTS[4];

    const nonceBefore = await s.node.rpc<string>("eth_getTransactionCount", [customer, "latest"]);
    await page.goto(`${s.appUrl}#/offerings/1`);
    await page.getByTestId("slot").and(page.locator(":enabled")).first().click();
    await page.getByTestId("seats").fill("1");
    await page.getByTestId("details-name").fill("Ada Lovelace");
    await page.getByTestId("details-contact").fill("ada@example.org");
    await page.getByTestId("pay").click();
    await page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });

    const nonceAfter = await s.node.rpc<string>("eth_getTransactionCount", [customer, "latest"]);
    assert.equal(BigInt(nonceAfter), BigInt(nonceBefore) + 1n);
    const signedOnDevice = await page.evaluate(
      () =>
        (window as unknown as { __fakeLedger: { received: string[] } }).__fakeLedger.received.filter((apdu) =>
          apdu.startsWith("e004"),
        ).length,
    );
    assert.ok(signedOnDevice > 0, "the transaction was signed by the (fake) Ledger");
    await context.close();
  });

  it("signs the customer's check-in on the pass with the Ledger, and the escrow accepts it", async () => {
    const { context, page } = await openWithLedger();
    await page.goto(`${s.appUrl}#/offerings/1`);
    await page.getByTestId("slot").and(page.locator(":enabled")).first().click();
    await page.getByTestId("details-name").fill("Ada Lovelace");
    await page.getByTestId("pay").click();
    await page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
    const bookingId = BigInt((await page.getByTestId("pass-booking-id").textContent()) ?? "");
    const { slotStart } = decodeBookingId(bookingId);

    // Half an hour before the start the pass offers to sign (it reads the chain's clock every 30 s).
    await increaseTime(s.node, slotStart - 1800 - (await chainNow(s)));
    await page.getByTestId("pass-sign-check-in").click({ timeout: PATIENCE });
    await page.getByTestId("pass-signed").waitFor({ timeout: PATIENCE });
    const typedDataOnDevice = await page.evaluate(
      () =>
        (window as unknown as { __fakeLedger: { received: string[] } }).__fakeLedger.received.filter((apdu) =>
          apdu.startsWith("e00c"),
        ).length,
    );
    assert.ok(typedDataOnDevice > 0, "the check-in was signed as EIP-712 typed data on the (fake) Ledger");

    // The merchant submits the signature the pass now carries.
    const link = await page.getByTestId("pass-code").inputValue();
    const { checkIn } = decodePass(link.split("/pass/")[1]);
    assert.ok(checkIn);
    const hash = await s.node.rpc<Hex>("eth_sendTransaction", [
      {
        from: ACCOUNTS[1],
        to: s.node.escrow,
        data: encodeFunctionData({
          abi: earnestEscrowAbi,
          functionName: "checkInWithSignature",
          args: [bookingId, checkIn],
        }),
      },
    ]);
    const client = createPublicClient({ transport: http(s.node.url) });
    assert.equal((await client.waitForTransactionReceipt({ hash })).status, "success");
    const booking = await client.readContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });
    assert.equal(booking.checkedIn, true);
    await context.close();
  });
});

/** A page with the fake Ledger, connected as BIP-44 account 5 on the device: Hardhat's funded account #4, a demo
 *  customer. */
async function openWithLedger(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await s.browser.newContext({ locale: "en" });
  context.setDefaultTimeout(PATIENCE);
  await context.addInitScript({ content: fakeLedgerScript });
  await context.addInitScript(() => localStorage.setItem("earnest.locale", "en"));
  const page = await context.newPage();
  await page.goto(`${s.appUrl}#/`);
  const customer = ACCOUNTS[4];
  await page.getByTestId("connect").click();
  await page.getByTestId("wallet-ledger").click();
  await page.getByTestId("ledger-scheme").selectOption("bip44");
  await page.getByTestId("ledger-account-4").check();
  assert.equal(await page.getByTestId("ledger-account-4").getAttribute("data-address"), customer);
  await page.getByTestId("ledger-use").click();
  await page.getByTestId("account").waitFor();
  assert.equal(await page.getByTestId("account").getAttribute("title"), customer);
  return { context, page };
}
