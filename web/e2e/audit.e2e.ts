// The auditor's page in a real browser against the seeded local chain: a clean result whose report is
// byte-identical to what the sdk's audit() gives in Node for the same anchor block, a rerun served from the
// browser's log cache with the same digest, and the sdk's errors as sentences that say what to do.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { Address } from "viem";
import { audit } from "@earnest/sdk";
import { ACCOUNTS, openApp, stack, type Stack, freshChainForEachTest, PATIENCE } from "./harness.js";

let s: Stack;

async function runAudit(page: Page): Promise<{ digest: string; anchor: bigint }> {
  await page.getByTestId("audit-run").click();
  const result = page.getByTestId("audit-result");
  // Either outcome ends the wait; an error's text makes the failure readable.
  await result.or(page.getByTestId("audit-error")).waitFor({ timeout: PATIENCE });
  assert.equal(await page.getByTestId("audit-error").count(), 0, await page.locator(".audit").innerText());
  assert.equal(await result.getAttribute("data-ok"), "true", "the seeded chain audits clean");
  return {
    digest: (await page.getByTestId("audit-digest").textContent()) ?? "",
    anchor: BigInt((await page.getByTestId("audit-anchor").textContent()) ?? ""),
  };
}

describe("audit", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("audits the local deployment clean, with the same report as the sdk in Node", async () => {
    const w = await openApp(s, { hashPath: "/audit" });
    const { page } = w;
    // Prefilled for the harness's chain: its RPC and the local deployment.
    assert.equal(await page.getByTestId("audit-rpcUrl").inputValue(), s.node.url);
    const escrow = (await page.getByTestId("audit-escrow").inputValue()) as Address;
    assert.match(escrow, /^0x[0-9a-fA-F]{40}$/);

    const { digest, anchor } = await runAudit(page);
    const checks = page.getByTestId("audit-check");
    // One check per kind of finding the verifier reports.
    assert.equal(await checks.count(), 20);
    assert.equal(await page.locator('[data-testid="audit-check"][data-result="pass"]').count(), 20);
    await page.getByTestId("audit-no-findings").waitFor();

    // This process loaded sdk/generated before the stack deployed: it is told the reviews contract the page knows.
    const node = await audit({ rpc: s.node.url, escrow, reviews: s.node.reviews, toBlock: anchor });
    assert.equal(node.verification.reviews?.contract, s.node.reviews.toLowerCase());
    assert.equal(digest, node.digest);
    assert.ok(node.verification.bookings.size > 0, "the seeded chain has bookings to audit");

    const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-download-json").click()]);
    assert.equal(await readFile(await json.path(), "utf8"), node.json);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-download-csv").click()]);
    assert.equal(await readFile(await csv.path(), "utf8"), node.csv);

    // Run again: the logs come from IndexedDB, the report is the same.
    const rerun = await runAudit(page);
    assert.deepEqual(rerun, { digest, anchor });
    assert.match(
      (await page.getByTestId("audit-run-stats").textContent()) ?? "",
      /[1-9]\d* blocks from the browser cache/,
    );
    await w.close();
  });

  it("says there is no contract at an address without code", async () => {
    const w = await openApp(s, { hashPath: "/audit", locale: "zh-CN" });
    await w.page.getByTestId("audit-escrow").fill(ACCOUNTS[4]);
    await w.page.getByTestId("audit-run").click();
    const error = w.page.locator('[data-testid="audit-error"][data-kind="noContract"]');
    await error.waitFor({ timeout: PATIENCE });
    assert.match((await error.textContent()) ?? "", /处没有合约/);
    await w.close();
  });

  it("says what to do when the RPC does not answer", async () => {
    const w = await openApp(s, { hashPath: "/audit" });
    // Port 9 (discard) on loopback: nothing listens, the connection is refused; the sdk retries, then gives up.
    await w.page.getByTestId("audit-rpcUrl").fill("http://127.0.0.1:9");
    await w.page.getByTestId("audit-run").click();
    await w.page.getByTestId("audit-progress").waitFor();
    const error = w.page.locator('[data-testid="audit-error"][data-kind="unreachable"]');
    await error.waitFor({ timeout: PATIENCE });
    assert.match((await error.textContent()) ?? "", /The RPC at http:\/\/127\.0\.0\.1:9 did not answer/);
    await w.close();
  });
});
