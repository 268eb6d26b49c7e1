// `npm run bench:console [-- N]`: how the merchant console loads for a merchant with N bookings (3,000 by default).
// Seeds the demo, books N seats at the demo merchant #1's "Dinner table" over the coming weeks, then opens the
// console in headless Chromium as that merchant and times each view until it shows the bookings: analytics with an
// empty browser cache (every event read), then the day view and the claim view, then analytics again after a
// reload (events from the browser's IndexedDB cache, only new blocks read). Writes bench/console.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { decodeFunctionResult, encodeFunctionData, keccak256, parseEther, toHex, type Hex } from "viem";
import { earnestEscrowAbi } from "@earnest/sdk";
import {
  connectTestWallet,
  launchChromium,
  seedDemo,
  serveApp,
  startChain,
  walletContext,
} from "../test/support/local-stack.js";
import { exitOnInterrupt, root } from "../test/support/processes.js";
import { sendBatched, type Tx } from "../test/support/send-batched.js";
import { testAccount } from "../test/support/test-accounts.js";

const N = Number(process.argv[2] ?? 3_000);
const OFFERING = 1; // the demo's "Dinner table": 0.01 ETH a seat, 12 seats per 2-hour slot, bookable 60 days ahead
const PER_SLOT = 10; // the demo already holds up to 2 seats in a few of these slots
exitOnInterrupt();

const node = await startChain();
await seedDemo(node);
const { escrow } = node;

// Slots from three hours ahead, ten one-seat bookings each, by the five demo customers in turn.
const offeringCall = encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getOffering", args: [OFFERING] });
const { firstSlotStart, slotLength } = decodeFunctionResult({
  abi: earnestEscrowAbi,
  functionName: "getOffering",
  data: await node.rpc<Hex>("eth_call", [{ to: escrow, data: offeringCall }, "latest"]),
});
const latest = await node.rpc<{ timestamp: `0x${string}` }>("eth_getBlockByNumber", ["latest", false]);
const from = Number(latest.timestamp) + 3 * 3600;
const firstSlot = firstSlotStart + Math.ceil((from - firstSlotStart) / slotLength) * slotLength;
const txs: Tx[] = Array.from({ length: N }, (_, i) => ({
  from: testAccount(4 + (i % 5)).address,
  to: escrow,
  value: parseEther("0.01"),
  data: encodeFunctionData({
    abi: earnestEscrowAbi,
    functionName: "book",
    args: [OFFERING, firstSlot + Math.floor(i / PER_SLOT) * slotLength, 1, keccak256(toHex(`bench ${i}`))],
  }),
}));
await node.rpc("evm_setAutomine", [false]);
await sendBatched(node, txs);
await node.rpc("evm_setAutomine", [true]);

const app = await serveApp(node.url);
const browser = await launchChromium();
try {
  const context = await walletContext(browser, { rpcUrl: node.url, account: 1 });
  const page = await context.newPage();
  // The test wallet forgets its connection on a reload, as a locked wallet would: connect each time.
  const openConsole = async () => {
    await connectTestWallet(page);
    await page.getByTestId("tab-analytics").waitFor({ timeout: 60_000 });
  };
  await page.goto(`${app.url}#/merchant`);
  await openConsole();

  /** Milliseconds from navigating to `hash` until `ready` resolves. */
  const time = async (hash: string, ready: () => Promise<unknown>) => {
    const start = performance.now();
    await page.evaluate((h) => (location.hash = h), hash);
    await ready();
    return Math.round(performance.now() - start);
  };
  const bookingsShown = page.getByTestId("analytics-bookings");
  const analyticsShowsAll = async () => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const shown = Number(((await bookingsShown.textContent({ timeout: 120_000 })) ?? "").replace(/\D/g, ""));
      if (shown >= N) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("analytics never showed every booking");
  };
  const analyticsColdMs = await time("#/merchant/analytics", analyticsShowsAll);
  const tomorrow = new Date((firstSlot + 86_400) * 1000).toISOString().slice(0, 10);
  const dayViewMs = await time("#/merchant/day", async () => {
    await page.getByTestId("day-date").fill(tomorrow);
    await page.getByTestId("day-booking").first().waitFor({ timeout: 60_000 });
  });
  const claimViewMs = await time("#/merchant/claim", () =>
    page.locator('[data-testid="claim-none"], [data-testid="claimable"]').first().waitFor({ timeout: 60_000 }),
  );
  await page.reload();
  await openConsole();
  const analyticsAfterReloadMs = await time("#/merchant/analytics", analyticsShowsAll);

  const result = { bookings: N, analyticsColdMs, dayViewMs, claimViewMs, analyticsAfterReloadMs };
  mkdirSync(path.join(root, "bench"), { recursive: true });
  writeFileSync(path.join(root, "bench", "console.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `merchant console with ${N} bookings: analytics ${analyticsColdMs} ms (empty cache), day view ${dayViewMs} ms, ` +
      `claim view ${claimViewMs} ms, analytics after a reload ${analyticsAfterReloadMs} ms (IndexedDB cache)`,
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await app.server.close();
  await node.stop();
}
