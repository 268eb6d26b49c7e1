// The browser end-to-end harness: one fresh Hardhat node with Earnest deployed and the demo seeded, the built
// dApp served on a loopback port, and headless Chromium. Started once per test process (run the e2e files with
// `--test-isolation=none`) and torn down when it exits. Each page gets its own injected test wallet.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { mnemonicToAccount } from "viem/accounts";
import { startHardhatNode, spawnGroup, root, type HardhatNode } from "../../scripts/lib/processes.js";
import { installTestWallet } from "./test-wallet.js";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Hardhat's default accounts: #0 deploys, #1–#3 are the demo merchants, #4–#8 customers, #9 the arbiter. */
export const ACCOUNTS = Array.from(
  { length: 10 },
  (_, addressIndex) => mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex }).address,
);

export type Stack = {
  node: HardhatNode;
  appUrl: string;
  browser: Browser;
};

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited ${code}\n${stderr}`)),
    );
  });
}

const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

/** A local chain with Earnest deployed (Ignition, as `npm run dev` does) and the demo seeded; the sdk bindings are
 *  regenerated for it (the local chain's addresses are deterministic, so they match `npm run dev`'s). */
export async function startChain(): Promise<HardhatNode> {
  const node = await startHardhatNode();
  const env = { EARNEST_LOCAL_RPC_URL: node.url };
  await run(
    bin("hardhat"),
    ["ignition", "deploy", "scripts/ignition/modules/EarnestLocal.ts", "--network", "localhost", "--reset"],
    env,
  );
  await run(bin("tsx"), ["scripts/generate-sdk.ts"], env);
  return node;
}

export async function seedDemo(node: HardhatNode, extraEnv: Record<string, string> = {}): Promise<void> {
  await run(bin("hardhat"), ["run", "--network", "localhost", "scripts/seed.ts"], {
    EARNEST_LOCAL_RPC_URL: node.url,
    ...extraEnv,
  });
}

/** Builds the dApp for the node's RPC and serves the build on a free loopback port. */
export async function serveApp(rpcUrl: string): Promise<{ url: string; server: PreviewServer; outDir: string }> {
  const { build, preview } = await import("vite");
  const outDir = mkdtempSync(path.join(tmpdir(), "earnest-web-"));
  const configFile = path.join(root, "web", "vite.config.ts");
  process.env.VITE_RPC_URL = rpcUrl;
  await build({ configFile, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: "warn", build: { outDir }, preview: { port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("The preview server did not report its URL");
  return { url, server, outDir };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
}

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

export type WalletPage = {
  page: Page;
  context: BrowserContext;
  /** The next signing (or connect) request is rejected with EIP-1193 code 4001. */
  rejectNext(): Promise<void>;
  setWalletChain(chainId: number): Promise<void>;
  close(): Promise<void>;
};

/** A fresh browser context on `hashPath` with a test wallet for Hardhat account `account`. */
export async function openApp(
  s: Stack,
  { account = 4, chainId = 31337, hashPath = "/", locale = "en" }: { account?: number; chainId?: number; hashPath?: string; locale?: string } = {},
): Promise<WalletPage> {
  const context = await s.browser.newContext({ locale });
  // tsx compiles this file with esbuild's keepNames, so the serialised wallet function calls `__name`.
  await context.addInitScript("globalThis.__name ??= (target) => target;");
  await context.addInitScript(installTestWallet, { rpcUrl: s.node.url, account: ACCOUNTS[account], chainId });
  await context.addInitScript((l: string) => localStorage.setItem("earnest.locale", l), locale);
  const page = await context.newPage();
  await page.goto(`${s.appUrl}#${hashPath}`);
  return {
    page,
    context,
    rejectNext: () => page.evaluate(() => (window as unknown as { __testWallet: { rejectNext(): void } }).__testWallet.rejectNext()),
    setWalletChain: (id: number) =>
      page.evaluate((c) => (window as unknown as { __testWallet: { setChain(c: number): void } }).__testWallet.setChain(c), id),
    close: () => context.close(),
  };
}

/** Connects the test wallet through the wallet picker (EIP-6963 discovery). */
export async function connect(page: Page): Promise<void> {
  await page.getByTestId("connect").click();
  await page.getByTestId("wallet-dev.earnest.testwallet").click();
  await page.getByTestId("account").waitFor();
}

/** Moves the chain's clock and mines a block. */
export async function increaseTime(node: HardhatNode, seconds: number): Promise<void> {
  await node.rpc("evm_increaseTime", [seconds]);
  await node.rpc("evm_mine");
}
