// A local Earnest for the browser tests and the dApp benchmark: a fresh Hardhat node with Earnest deployed by
// Ignition (as `npm run dev` does) and the demo seeded, the dApp built for that node and served on a loopback
// port, and Debian's headless Chromium.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { Address } from "viem";
import type { PreviewServer } from "vite";
import { bin, root, runToEnd, startHardhatNode, type HardhatNode } from "./processes.js";
import { testAccount } from "./test-accounts.js";
import { installTestWallet } from "./test-wallet.js";

export type LocalChain = HardhatNode & { escrow: Address; stablecoin: Address };

/** A node with Earnest deployed and the sdk bindings regenerated for it (the local chain's addresses are
 *  deterministic, so they are the same as `npm run dev`'s). Scripts that imported sdk/generated before this ran
 *  hold the old map, so the addresses are returned too. */
export async function startChain(): Promise<LocalChain> {
  const node = await startHardhatNode();
  const env = { EARNEST_LOCAL_RPC_URL: node.url };
  await runToEnd(
    bin("hardhat"),
    ["ignition", "deploy", "ignition/modules/EarnestLocal.ts", "--network", "localhost", "--reset"],
    { env },
  );
  await runToEnd(bin("tsx"), ["scripts/generate-sdk.ts"], { env });
  const deployed = JSON.parse(
    readFileSync(path.join(root, "ignition/deployments/chain-31337/deployed_addresses.json"), "utf8"),
  ) as Record<string, Address>;
  return { ...node, escrow: deployed["Earnest#EarnestEscrow"], stablecoin: deployed["EarnestLocal#MockStablecoin"] };
}

/** Runs scripts/seed.ts against the node; `offerings` above 6 adds offerings without bookings. */
export function seedDemo(node: HardhatNode, offerings?: number): Promise<void> {
  return runToEnd(bin("hardhat"), ["run", "--network", "localhost", "scripts/seed.ts"], {
    env: { EARNEST_LOCAL_RPC_URL: node.url, ...(offerings ? { EARNEST_SEED_OFFERINGS: String(offerings) } : {}) },
  });
}

export type ServedApp = { url: string; server: PreviewServer; outDir: string };

/** Builds the dApp for `rpcUrl` into a temporary directory and serves it on a free loopback port. */
export async function serveApp(rpcUrl: string): Promise<ServedApp> {
  const { build, preview } = await import("vite");
  const outDir = mkdtempSync(path.join(tmpdir(), "earnest-web-"));
  const configFile = path.join(root, "web", "vite.config.ts");
  process.env.VITE_RPC_URL = rpcUrl;
  await build({ configFile, logLevel: "error", build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: "warn", build: { outDir }, preview: { port: 0 } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("The preview server did not report its URL");
  return { url, server, outDir };
}

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/** A desktop window, and the phone the dApp is designed for first. */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } } as const;

/** A browser context whose pages get the test wallet of Hardhat account `account` (see test-wallet.ts) and the
 *  dApp in `locale`, in a desktop window unless `viewport` says otherwise. */
export async function walletContext(
  browser: Browser,
  {
    rpcUrl,
    account,
    chainId = 31337,
    locale = "en",
    viewport = VIEWPORTS.desktop,
  }: {
    rpcUrl: string;
    account: number;
    chainId?: number;
    locale?: string;
    viewport?: { width: number; height: number };
  },
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, viewport, isMobile: viewport.width < 600 });
  // tsx compiles with esbuild's keepNames, so the serialised wallet function calls `__name`.
  await context.addInitScript("globalThis.__name ??= (target) => target;");
  await context.addInitScript(installTestWallet, { rpcUrl, account: testAccount(account).address, chainId });
  await context.addInitScript((l: string) => localStorage.setItem("earnest.locale", l), locale);
  return context;
}

/** Connects the test wallet through the dApp's wallet picker (EIP-6963 discovery). */
export async function connectTestWallet(page: Page): Promise<void> {
  await page.getByTestId("connect").click();
  await page.getByTestId("wallet-dev.earnest.testwallet").click();
  await page.getByTestId("account").waitFor();
}
