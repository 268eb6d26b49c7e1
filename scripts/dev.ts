// `npm run dev`: the local stack. Starts a Hardhat chain on 127.0.0.1, deploys Earnest with Ignition, regenerates
// the sdk bindings, seeds a demo, starts the relayer for the demo merchants (customers with only a stablecoin book
// through it), serves the dApp (Vite, in this process), starts the notifier (Web Push notices, loyalty rewards
// signed by the Kyoto Tea Room's coupon host), and prints the URLs, the addresses and the funded test accounts.
// Ctrl-C stops everything it started.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { toHex } from "viem";
import webPush from "web-push";
import { bin, root, runToEnd, spawnGroup, waitFor } from "../test/support/processes.js";
import { startRelayer } from "../test/support/relayer.js";
import { testAccount } from "../test/support/test-accounts.js";
import { gaslessCustomer, GASLESS_CUSTOMER_KEY } from "./demo.js";

const RPC_URL = "http://127.0.0.1:8545";
const RELAYER_PORT = 8547;
const NOTIFIER_URL = "http://127.0.0.1:9464";
/** Hardhat account #11, the Kyoto Tea Room's host with the coupon role, signs its loyalty rewards. */
const COUPON_ACCOUNT = 11;
/** Hardhat account #12 submits the demo's signed bookings and pays their gas. */
const RELAYER_ACCOUNT = 12;
/** Who each test account is in the seeded demo (scripts/seed.ts). */
const DEMO_ROLES = [
  "deployer, protocol owner",
  "merchant: Trattoria Luce",
  "merchant: Kyoto Tea Room",
  "merchant: Harbour Yoga",
  "customer",
  "customer",
  "customer",
  "customer",
  "customer",
  "arbiter",
  "staff: Harbour Yoga front desk (check in, cancel)",
  "staff: Kyoto Tea Room host (coupons)",
  "relayer: submits signed bookings for #1–#3 and pays their gas",
  "guest: five tea ceremonies, the last not yet reviewed, a reward earned (20 % off a seat)",
  "guest: reviewed a tea ceremony",
  "guest: reviewed a dinner (answered) and a tea ceremony",
];
// Children lead their own process groups; lib/processes.ts kills the groups when this process exits.
const run = (command: string, args: string[]) => runToEnd(command, args, { quiet: false });

async function rpcUp(): Promise<boolean> {
  try {
    const response = await fetch(RPC_URL, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

process.on("SIGINT", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));

if (await rpcUp()) {
  console.error(`Something already answers on ${RPC_URL}. Stop it (or the other \`npm run dev\`) and try again.`);
  process.exit(1);
}

console.log("Starting the local chain…");
const chain = spawnGroup(bin("hardhat"), ["node", "--network", "demo", "--hostname", "127.0.0.1", "--port", "8545"], {
  stdio: ["ignore", "ignore", "inherit"],
});
chain.on("exit", (code) => {
  console.error(`The local chain stopped (exit ${code}).`);
  process.exit(1);
});
for (let i = 0; !(await rpcUp()); i++) {
  if (i > 120) {
    console.error("The local chain did not start within 60 s.");
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}

try {
  console.log("Deploying with Ignition…");
  await run(bin("hardhat"), [
    "ignition",
    "deploy",
    "ignition/modules/EarnestLocal.ts",
    "--network",
    "localhost",
    "--reset",
  ]);
  await run(bin("tsx"), ["scripts/generate-sdk.ts"]);
  console.log("Seeding the demo…");
  await run(bin("hardhat"), ["run", "--network", "localhost", "scripts/seed.ts"]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const { deployments } = (await import("@earnest/sdk")) as {
  deployments: Record<string, Record<string, { address: string }>>;
};
const local = deployments["31337"];

// The relayer's database lives as long as the chain: both start afresh with every `npm run dev`.
const relayerDir = mkdtempSync(path.join(tmpdir(), "earnest-dev-relayer-"));
process.on("exit", () => rmSync(relayerDir, { recursive: true, force: true }));
let relayerUrl: string;
try {
  console.log("Starting the relayer…");
  const relayer = await startRelayer({
    rpcUrl: RPC_URL,
    escrow: local.EarnestEscrow.address as `0x${string}`,
    merchants: [1, 2, 3].map((i) => testAccount(i).address),
    key: toHex(testAccount(RELAYER_ACCOUNT).getHdKey().privateKey!),
    dbDir: relayerDir,
    port: RELAYER_PORT,
  });
  relayerUrl = relayer.url;
  void relayer.exited.then(({ code, signal }) => {
    console.error(`The relayer stopped (${signal ?? `exit ${code}`}).\n${relayer.output.slice(-2000)}`);
    process.exit(1);
  });
} catch (error) {
  console.error(`The relayer did not start: ${(error as Error).message}`);
  process.exit(1);
}

// The dApp asks the notifier for push keys and loyalty rewards: its URL is fixed before Vite reads the environment.
process.env.VITE_NOTIFIER_URL = NOTIFIER_URL;
const { createServer } = await import("vite");
const web = await createServer({
  configFile: path.join(root, "web", "vite.config.ts"),
  logLevel: "warn",
  server: { port: 5173, strictPort: false }, // another dev server on 5173 moves this one to the next free port
});
await web.listen();
const appUrl = web.resolvedUrls?.local[0] ?? "http://127.0.0.1:5173/";

// The notifier, as long-lived as the chain: a fresh database, push keys of its own, the dApp's origin for push
// sign-ins, and the coupon host's key (in the environment, never on the command line) for loyalty rewards.
const notifierDir = mkdtempSync(path.join(tmpdir(), "earnest-dev-notifier-"));
process.on("exit", () => rmSync(notifierDir, { recursive: true, force: true }));
const vapid = webPush.generateVAPIDKeys();
const notifierConfig = path.join(notifierDir, "notifier.json");
writeFileSync(
  notifierConfig,
  JSON.stringify({
    rpc: RPC_URL,
    confirmations: 0,
    db: path.join(notifierDir, "notifier.db"),
    port: Number(new URL(NOTIFIER_URL).port),
    push: {
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: "env:EARNEST_DEV_VAPID_PRIVATE_KEY",
      origins: [new URL(appUrl).origin],
    },
  }),
);
console.log("Starting the notifier…");
const notifier = spawnGroup(
  process.execPath,
  ["--import", "tsx", "services/notifier/main.ts", "--config", notifierConfig],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      EARNEST_DEV_VAPID_PRIVATE_KEY: vapid.privateKey,
      NOTIFIER_COUPON_KEY: toHex(testAccount(COUPON_ACCOUNT).getHdKey().privateKey!),
    },
  },
);
let notifierOutput = "";
notifier.stdout!.on("data", (d: Buffer) => (notifierOutput += d.toString()));
notifier.stderr!.on("data", (d: Buffer) => (notifierOutput += d.toString()));
notifier.on("exit", (code) => {
  console.error(`The notifier stopped (exit ${code}).\n${notifierOutput.slice(-2000)}`);
  process.exit(1);
});
try {
  await waitFor("the notifier to start", () => notifierOutput.includes('"msg":"started"'), 60_000);
} catch {
  console.error(`The notifier did not start.\n${notifierOutput.slice(-2000)}`);
  process.exit(1);
}

console.log(
  `\nEarnest is running.\n  dApp           ${appUrl}\n  RPC            ${RPC_URL} (chain id 31337)` +
    `\n  Relayer        ${relayerUrl}/ (Book without gas, for merchants #1–#3)` +
    `\n  Notifier       ${NOTIFIER_URL}/ (Web Push notices; loyalty rewards for the tea ceremony)`,
);
console.log(
  `  EarnestEscrow  ${local.EarnestEscrow.address}\n  MockStablecoin ${local.MockStablecoin.address} (mUSD, 6 decimals)` +
    `\n  MockUSDC       ${local.MockUSDC.address} (USDC look-alike: permit without EIP-5267, ERC-3009)`,
);
console.log(
  "\nTest accounts (10,000 ETH each, #0–#9 also 100,000 mUSD and 100,000 USDC; never use these keys on a real " +
    "network):",
);
for (let i = 0; i < DEMO_ROLES.length; i++) {
  const account = testAccount(i);
  const key = toHex(account.getHdKey().privateKey!);
  console.log(`  #${i} ${account.address} ${key}  ${DEMO_ROLES[i]}`);
}
console.log(
  `  no ETH ${gaslessCustomer.address} ${GASLESS_CUSTOMER_KEY}  customer with 1,000 USDC and no ETH: ` +
    "books Lunch set or Matcha tasting without gas",
);
console.log(
  "\nOpen the dApp, add the network (RPC above, chain id 31337) to your wallet and import a test key to book." +
    "\nGuest #13 can review its last tea ceremony in My bookings and book the next with its reward." +
    "\nCtrl-C stops the chain, the relayer, the notifier and the dApp.",
);
