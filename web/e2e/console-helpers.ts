// Steps the browser tests share: the chain's clock and balances, waiting for a transaction's toast, and a
// customer booking through the customer pages.
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { connect, PATIENCE, type Stack, type WalletPage } from "./harness.js";

export async function chainNow(s: Stack): Promise<number> {
  const block = await s.node.rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return Number(BigInt(block.timestamp));
}

export async function balance(s: Stack, address: string): Promise<bigint> {
  return BigInt(await s.node.rpc<string>("eth_getBalance", [address, "latest"]));
}

/** Waits for the transaction labelled `label` to be confirmed; throws with the dApp's sentence if it failed. */
export async function confirmed(page: Page, label: string): Promise<void> {
  const toast = (step: string) => page.locator(`[data-testid="tx-toast"][data-step="${step}"]`, { hasText: label });
  const outcome = await Promise.race([
    toast("confirmed")
      .first()
      .waitFor({ timeout: PATIENCE })
      .then(() => "confirmed"),
    toast("failed")
      .first()
      .waitFor({ timeout: PATIENCE })
      .then(() => "failed"),
  ]);
  if (outcome === "failed") throw new Error(`${label} failed: ${await toast("failed").first().textContent()}`);
}

/** A customer books one seat in the first open slot of `date` (the venue's calendar) and lands on the pass. The
 *  offering's page is opened at `url` when given (a coupon link). */
export async function bookFirstSlot(
  s: Stack,
  w: WalletPage,
  offeringId: number,
  { date, url }: { date?: string; url?: string } = {},
): Promise<{ passLink: string; bookingId: bigint }> {
  await w.page.goto(url ?? `${s.appUrl}#/offerings/${offeringId}`);
  if (date) await w.page.getByTestId("date").fill(date);
  await w.page.getByTestId("slot").and(w.page.locator(":enabled")).first().click();
  await w.page.getByTestId("seats").fill("1");
  await w.page.getByTestId("details-name").fill("Ada Lovelace");
  await w.page.getByTestId("details-contact").fill("ada@example.org");
  await w.page.getByTestId("pay").click();
  await w.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
  const bookingId = BigInt((await w.page.getByTestId("pass-booking-id").textContent()) ?? "");
  return { passLink: w.page.url(), bookingId };
}

/** Reloads the page (so it reads the moved clock at once) and reconnects the test wallet, which forgets on reload. */
export async function reload(w: WalletPage): Promise<void> {
  await w.page.reload();
  await connect(w.page);
}

/** Waits for `locator` to show text matching `pattern` and returns that text. The pages refetch after a transaction
 *  is confirmed, so reading the text at once may still see the state before it. */
export async function textMatching(locator: Locator, pattern: RegExp, timeout = PATIENCE): Promise<string> {
  const match = locator.filter({ hasText: pattern }).first();
  try {
    await match.waitFor({ timeout });
  } catch {
    assert.fail(`expected text matching ${pattern}, saw ${JSON.stringify(await locator.first().textContent())}`);
  }
  return (await match.textContent()) ?? "";
}
