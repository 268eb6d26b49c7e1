// The browser end-to-end harness: one fresh Hardhat node with Earnest deployed and the demo seeded, the built
// dApp served on a loopback port, and headless Chromium. Started once per test process (run the e2e files with
// `--test-isolation=none`) and torn down when it exits. Each page gets its own injected test wallet.
import { after, before } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  connectTestWallet,
  launchChromium,
  seedDemo,
  serveApp,
  startChain,
  walletContext,
  type LocalChain,
} from "../../test/support/local-stack.js";
import { testAccount } from "../../test/support/test-accounts.js";
import type { HardhatNode } from "../../test/support/processes.js";

/** Hardhat's default accounts' addresses: #0 deploys, #1–#3 are the demo merchants, #4–#8 customers, #9 the
 *  arbiter. */
export const ACCOUNTS = Array.from({ length: 10 }, (_, i) => testAccount(i).address);

export type Stack = {
  node: LocalChain;
  appUrl: string;
  browser: Browser;
};

let started: Promise<Stack> | undefined;

/** The shared stack, started on first use. */
export function stack(): Promise<Stack> {
  started ??= (async () => {
    const node = await startChain();
    await seedDemo(node);
    const app = await serveApp(node.url);
    const browser = await launchChromium();
    process.once("beforeExit", () => {
      void browser.close();
      void app.server.close();
      void node.stop();
    });
    return { node, appUrl: app.url, browser };
  })();
  return started;
}

/** Puts the chain back as it was once the calling file's tests are done, so files never see each other's
 *  bookings or moved clocks. Call it at the top level of a test file. */
export function restoreChainAfterFile(): void {
  let snapshot: string | undefined;
  before(async () => {
    snapshot = await (await stack()).node.rpc<string>("evm_snapshot");
  });
  after(async () => {
    if (snapshot) await (await stack()).node.rpc("evm_revert", [snapshot]);
  });
}

export type WalletPage = {
  page: Page;
  context: BrowserContext;
  /** The next signing (or connect) request is rejected with EIP-1193 code 4001. */
  rejectNext(): Promise<void>;
  setWalletChain(chainId: number): Promise<void>;
  /** The EIP-1193 methods the page has asked the wallet for, in order. */
  walletRequests(): Promise<string[]>;
  close(): Promise<void>;
};

/** A fresh browser context on `hashPath` with a test wallet for Hardhat account `account`. */
export async function openApp(
  s: Stack,
  {
    account = 4,
    chainId = 31337,
    hashPath = "/",
    locale = "en",
  }: { account?: number; chainId?: number; hashPath?: string; locale?: string } = {},
): Promise<WalletPage> {
  const context = await walletContext(s.browser, { rpcUrl: s.node.url, account, chainId, locale });
  const page = await context.newPage();
  await page.goto(`${s.appUrl}#${hashPath}`);
  return {
    page,
    context,
    rejectNext: () =>
      page.evaluate(() => (window as unknown as { __testWallet: { rejectNext(): void } }).__testWallet.rejectNext()),
    setWalletChain: (id: number) =>
      page.evaluate(
        (c) => (window as unknown as { __testWallet: { setChain(c: number): void } }).__testWallet.setChain(c),
        id,
      ),
    walletRequests: () =>
      page.evaluate(() => (window as unknown as { __testWallet: { requests(): string[] } }).__testWallet.requests()),
    close: () => context.close(),
  };
}

/** Connects the test wallet through the wallet picker (EIP-6963 discovery). */
export const connect = connectTestWallet;

/** Moves the chain's clock and mines a block. */
export async function increaseTime(node: HardhatNode, seconds: number): Promise<void> {
  await node.rpc("evm_increaseTime", [seconds]);
  await node.rpc("evm_mine");
}
