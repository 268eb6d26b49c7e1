// A local Earnest for the browser tests and the dApp benchmark: a fresh Hardhat node with Earnest deployed by
// Ignition (as `npm run dev` does) and the demo seeded, the dApp built for that node and served on a loopback
// port, and Debian's headless Chromium.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createWalletClient, defineChain, http, type Address, type Hex, type TypedDataDefinition } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import type { PreviewServer } from "vite";
import { bin, root, runToEnd, startHardhatNode, type HardhatNode } from "./processes.js";
import { testAccount } from "./test-accounts.js";
import { installTestWallet, SIGNER_BINDING, type SignerAnswer } from "./test-wallet.js";

export type LocalChain = HardhatNode & { escrow: Address; reviews: Address; stablecoin: Address; usdc: Address };

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
  return {
    ...node,
    escrow: deployed["Earnest#EarnestEscrow"],
    reviews: deployed["Earnest#VerifiedReviews"],
    stablecoin: deployed["EarnestLocal#MockStablecoin"],
    usdc: deployed["EarnestLocal#MockUSDC"],
  };
}

/** Runs scripts/seed.ts against the node; `offerings` above 6 adds offerings without bookings; `relayerUrl` is the
 *  relayer the seeded offerings name in their metadata (`EARNEST_RELAYER_URL`). */
export function seedDemo(node: HardhatNode, offerings?: number, relayerUrl?: string): Promise<void> {
  return runToEnd(bin("hardhat"), ["run", "--network", "localhost", "scripts/seed.ts"], {
    env: {
      EARNEST_LOCAL_RPC_URL: node.url,
      ...(offerings ? { EARNEST_SEED_OFFERINGS: String(offerings) } : {}),
      ...(relayerUrl ? { EARNEST_RELAYER_URL: relayerUrl } : {}),
    },
  });
}

export type ServedApp = { url: string; server: PreviewServer; outDir: string };

/** Builds the dApp for `rpcUrl` into a temporary directory and serves it on a free loopback port; with
 *  `notifierUrl`, the build knows that notifier (`VITE_NOTIFIER_URL`: Web Push, loyalty rewards). */
export async function serveApp(rpcUrl: string, { notifierUrl }: { notifierUrl?: string } = {}): Promise<ServedApp> {
  const { build } = await import("vite");
  const outDir = mkdtempSync(path.join(tmpdir(), "earnest-web-"));
  process.env.VITE_RPC_URL = rpcUrl;
  const notifierBefore = process.env.VITE_NOTIFIER_URL;
  if (notifierUrl) process.env.VITE_NOTIFIER_URL = notifierUrl;
  try {
    await build({ configFile: webConfig, logLevel: "error", build: { outDir, emptyOutDir: true } });
  } finally {
    if (notifierBefore === undefined) delete process.env.VITE_NOTIFIER_URL;
    else process.env.VITE_NOTIFIER_URL = notifierBefore;
  }
  return previewApp(outDir);
}

const webConfig = path.join(root, "web", "vite.config.ts");

/** Serves a build made by `serveApp` on another free loopback port: an origin of its own, to be closed at will. */
export async function previewApp(outDir: string): Promise<ServedApp> {
  const { preview } = await import("vite");
  const server = await preview({ configFile: webConfig, logLevel: "warn", build: { outDir }, preview: { port: 0 } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("The preview server did not report its URL");
  return { url, server, outDir };
}

/** The Chromium the browser tests and benchmarks drive: Debian's, unless CHROMIUM_PATH names another. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Without the background-networking flags Chromium keeps dialling Google's hosts, which this closed network
 *  refuses. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium with the flags every test uses, plus `extraArgs` (a fake camera, say). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}

/** A desktop window, and the phone the dApp is designed for first. */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } } as const;

/** Integers of a typed-data message as JSON carries them (decimal or hex strings), as bigints again, by its types. */
function typedValues(types: Record<string, { name: string; type: string }[]>, type: string, value: unknown): unknown {
  if (type.endsWith("]")) {
    const item = type.slice(0, type.lastIndexOf("["));
    return (value as unknown[]).map((v) => typedValues(types, item, v));
  }
  if (types[type]) {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(types[type].map((f) => [f.name, typedValues(types, f.type, object[f.name])]));
  }
  if (/^u?int\d*$/.test(type) && (typeof value === "string" || typeof value === "number")) return BigInt(value);
  return value;
}

/** Signs and sends for a private-key account the node does not hold: what the page's test wallet asks through
 *  `SIGNER_BINDING`. Transactions are signed here and sent raw, so the account pays its own gas (or cannot). */
function localSigner(rpcUrl: string, privateKey: Hex) {
  const account = privateKeyToAccount(privateKey);
  const chain = defineChain({ ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } });
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
  return async (method: string, params: unknown[]): Promise<SignerAnswer> => {
    try {
      switch (method) {
        case "eth_signTypedData_v4": {
          const typed = JSON.parse(params[1] as string) as {
            types: Record<string, { name: string; type: string }[]>;
            primaryType: string;
            domain: Record<string, unknown>;
            message: Record<string, unknown>;
          };
          const { EIP712Domain, ...types } = typed.types;
          const definition = {
            domain: typedValues({ EIP712Domain }, "EIP712Domain", typed.domain),
            types,
            primaryType: typed.primaryType,
            message: typedValues(types, typed.primaryType, typed.message),
          } as unknown as TypedDataDefinition;
          return { result: await account.signTypedData(definition) };
        }
        case "personal_sign":
          return { result: await account.signMessage({ message: { raw: params[0] as Hex } }) };
        case "eth_sendTransaction": {
          const tx = params[0] as { to: Address; data?: Hex; value?: Hex; gas?: Hex };
          const hash = await wallet.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
            gas: tx.gas ? BigInt(tx.gas) : undefined,
          });
          return { result: hash };
        }
        default:
          return { error: { code: 4200, message: `The test signer does not do ${method}.` } };
      }
    } catch (error) {
      return { error: { code: -32000, message: error instanceof Error ? error.message : String(error) } };
    }
  };
}

/** A browser context whose pages get the test wallet (see test-wallet.ts) of Hardhat account `account`, or of the
 *  account of `privateKey` (signed for by this process, for accounts the node does not hold: a customer with no
 *  ETH), optionally speaking EIP-5792, and the dApp in `locale`, in a desktop window unless `viewport` says
 *  otherwise. */
export async function walletContext(
  browser: Browser,
  {
    rpcUrl,
    account = 0,
    privateKey,
    eip5792 = false,
    chainId = 31337,
    locale = "en",
    viewport = VIEWPORTS.desktop,
    timezoneId,
    serviceWorkers = "block",
  }: {
    rpcUrl: string;
    account?: number;
    privateKey?: Hex;
    eip5792?: boolean;
    chainId?: number;
    locale?: string;
    viewport?: { width: number; height: number };
    /** The viewer's IANA zone; the machine's when not given. */
    timezoneId?: string;
    /** Blocked unless a test is about the worker: it would answer reloads itself, past the routes that inject the
     *  test wallet, so a reloaded page would come back without its wallet. */
    serviceWorkers?: "allow" | "block";
  },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale,
    viewport,
    isMobile: viewport.width < 600,
    timezoneId,
    serviceWorkers,
  });
  // tsx compiles with esbuild's keepNames, so the serialised wallet function calls `__name`.
  await context.addInitScript("globalThis.__name ??= (target) => target;");
  if (privateKey) {
    const signer = localSigner(rpcUrl, privateKey);
    await context.exposeFunction(SIGNER_BINDING, signer);
  }
  const address = privateKey ? privateKeyToAccount(privateKey).address : testAccount(account).address;
  await context.addInitScript(installTestWallet, {
    rpcUrl,
    account: address,
    chainId,
    localSigner: privateKey !== undefined,
    eip5792,
  });
  await context.addInitScript((l: string) => localStorage.setItem("earnest.locale", l), locale);
  return context;
}

/** Connects the test wallet through the dApp's wallet picker (EIP-6963 discovery). */
export async function connectTestWallet(page: Page): Promise<void> {
  await page.getByTestId("connect").click();
  await page.getByTestId("wallet-dev.earnest.testwallet").click();
  await page.getByTestId("account").waitFor();
}
