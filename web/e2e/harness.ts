// The browser end-to-end harness: one fresh Hardhat node with Earnest deployed and the demo seeded, the built
// dApp served on a loopback port, and headless Chromium. Started once per test process (run the e2e files with
// `--test-isolation=none`) and torn down when it exits. Each page gets its own injected test wallet, and each test
// the seeded chain (see freshChainForEachTest). The seeded USDC offerings name a relayer on a port chosen here; the
// relayer itself starts only when a test asks for it (relayer()).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { toHex, type Hex } from "viem";
import {
  connectTestWallet,
  launchChromium,
  seedDemo,
  serveApp,
  startChain,
  VIEWPORTS,
  walletContext,
  type LocalChain,
} from "../../test/support/local-stack.js";
import { testAccount } from "../../test/support/test-accounts.js";
import { freePort, type HardhatNode } from "../../test/support/processes.js";
import { startRelayer, type StartedRelayer } from "../../test/support/relayer.js";

/** Hardhat's default accounts' addresses: #0 deploys, #1–#3 are the demo merchants, #4–#8 customers, #9 the
 *  arbiter, #10 and #11 staff (see scripts/seed.ts); #12 onwards are free. */
export const ACCOUNTS = Array.from({ length: 14 }, (_, i) => testAccount(i).address);

export type Stack = {
  node: LocalChain;
  appUrl: string;
  browser: Browser;
  /** The relayer URL the seeded USDC offerings' metadata names (see relayer()). */
  relayerUrl: string;
  /** The production build the app is served from (a test may serve it again on a server of its own). */
  appDir: string;
};

let started: Promise<Stack> | undefined;

/** The shared stack, started on first use. */
export function stack(): Promise<Stack> {
  started ??= (async () => {
    const node = await startChain();
    const relayerUrl = `http://127.0.0.1:${await freePort()}`;
    await seedDemo(node, undefined, relayerUrl);
    const app = await serveApp(node.url);
    const browser = await launchChromium();
    process.once("beforeExit", () => {
      void browser.close();
      void app.server.close();
      void node.stop();
    });
    return { node, appUrl: app.url, browser, relayerUrl, appDir: app.outDir };
  })();
  return started;
}

/** The demo merchants' relayer (Hardhat account #12's key pays the gas; merchants #1–#3) at the URL the seeded
 *  offerings name, started on first use and stopped when the process ends. Tests that use it must not depend on
 *  its state (nonces seen, budget spent), which outlives the chain snapshots. */
let relayerStarted: Promise<StartedRelayer> | undefined;
export function relayer(s: Stack): Promise<StartedRelayer> {
  relayerStarted ??= (async () => {
    const started = await startRelayer({
      rpcUrl: s.node.url,
      escrow: s.node.escrow,
      merchants: [1, 2, 3].map((i) => testAccount(i).address),
      key: toHex(testAccount(12).getHdKey().privateKey!),
      dbDir: mkdtempSync(path.join(tmpdir(), "earnest-relayer-")),
      port: Number(new URL(s.relayerUrl).port),
    });
    process.once("beforeExit", () => void started.stop());
    return started;
  })();
  return relayerStarted;
}

/** How long a browser test waits for the page to get somewhere: room for a busy machine (a transaction's round
 *  trip takes a second or two on an idle one). */
export const PATIENCE = 60_000;

/** Gives every test of the calling `describe` the chain as seeded: a snapshot before each test, reverted after it,
 *  so no test sees another's bookings, registrations or moved clock, whatever the order. Call it inside the
 *  `describe`: with `--test-isolation=none`, hooks at a file's top level apply to the tests of every file. */
export function freshChainForEachTest(): void {
  let snapshot: string | undefined;
  beforeEach(async () => {
    snapshot = await (await stack()).node.rpc<string>("evm_snapshot");
  });
  afterEach(async () => {
    if (snapshot) await (await stack()).node.rpc("evm_revert", [snapshot]);
    snapshot = undefined;
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

/** A fresh browser context on `hashPath` with a test wallet for Hardhat account `account`, or for the account of
 *  `privateKey` (one the node does not hold), speaking EIP-5792 when `eip5792`. */
export async function openApp(
  s: Stack,
  {
    account = 4,
    privateKey,
    eip5792 = false,
    chainId = 31337,
    hashPath = "/",
    locale = "en",
    phone = false,
  }: {
    account?: number;
    privateKey?: Hex;
    eip5792?: boolean;
    chainId?: number;
    hashPath?: string;
    locale?: string;
    phone?: boolean;
  } = {},
): Promise<WalletPage> {
  const viewport = phone ? VIEWPORTS.phone : VIEWPORTS.desktop;
  const context = await walletContext(s.browser, {
    rpcUrl: s.node.url,
    account,
    privateKey,
    eip5792,
    chainId,
    locale,
    viewport,
  });
  context.setDefaultTimeout(PATIENCE);
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
