// `npm run bench:web`: builds the dApp and measures, in headless Chromium against a local chain seeded with 50
// offerings, the gzip size of the JavaScript a first visit loads and the JSON-RPC requests the offerings page
// makes on first load (each call inside a batch counts), and that the code only some visitors need (a Safe App's, a
// WalletConnect session's, the pure-JS QR decoder) sits in chunks the first visit does not load; then Lighthouse's
// mobile preset (simulated slow 4G and a 4× slower CPU) on the same production build, three runs, the median
// performance score and total blocking time. Writes bench/web.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { launch as launchChrome } from "chrome-launcher";
import lighthouse from "lighthouse";
import {
  CHROMIUM_FLAGS,
  chromiumPath,
  launchChromium,
  seedDemo,
  serveApp,
  startChain,
} from "../test/support/local-stack.js";
import { exitOnInterrupt, root } from "../test/support/processes.js";

const OFFERINGS = 50;
/** A string each library's bundled code keeps however it is minified (a message name, a URL, an option name). */
const LOADED_ONLY_WHEN_USED = {
  safeApps: "getTxBySafeTxHash",
  walletConnect: "relay.walletconnect",
  qrDecoder: "attemptBoth",
} as const;
const LIGHTHOUSE_RUNS = 3;
exitOnInterrupt();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Lighthouse's default configuration is its mobile preset; each run gets a fresh profile, so nothing is cached. */
async function lighthouseMobile(url: string): Promise<{ score: number; tbtMs: number }> {
  const scores: number[] = [];
  const tbts: number[] = [];
  for (let run = 0; run < LIGHTHOUSE_RUNS; run++) {
    const chrome = await launchChrome({ chromePath: chromiumPath, chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS] });
    try {
      const result = await lighthouse(url, { port: chrome.port, onlyCategories: ["performance"], logLevel: "error" });
      if (!result) throw new Error("Lighthouse returned no result");
      const { categories, audits, runtimeError } = result.lhr;
      if (runtimeError) throw new Error(`Lighthouse: ${runtimeError.code} ${runtimeError.message}`);
      scores.push(Math.round((categories.performance.score ?? 0) * 100));
      tbts.push(Math.round(audits["total-blocking-time"].numericValue ?? 0));
      const metric = (id: string) => Math.round(audits[id].numericValue ?? 0);
      console.log(
        `Lighthouse run ${run + 1}: score ${scores[run]}; FCP ${metric("first-contentful-paint")} ms, ` +
          `LCP ${metric("largest-contentful-paint")} ms, speed index ${metric("speed-index")} ms, ` +
          `TBT ${metric("total-blocking-time")} ms, CLS ${(audits["cumulative-layout-shift"].numericValue ?? 0).toFixed(3)}`,
      );
      if (process.env.LIGHTHOUSE_REPORT)
        writeFileSync(`${process.env.LIGHTHOUSE_REPORT}.${run + 1}.json`, JSON.stringify(result.lhr));
    } finally {
      chrome.kill();
    }
  }
  console.log(`Lighthouse mobile runs: scores ${scores.join(", ")}; total blocking time ${tbts.join(", ")} ms`);
  return { score: median(scores), tbtMs: median(tbts) };
}

const node = await startChain();
await seedDemo(node, OFFERINGS);
const app = await serveApp(node.url);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  let rpcRequests = 0;
  const methods: string[] = [];
  page.on("request", (request) => {
    if (request.url().replace(/\/$/, "") !== node.url || request.method() !== "POST") return;
    const body = JSON.parse(request.postData() ?? "null") as { method: string } | { method: string }[];
    const calls = Array.isArray(body) ? body : [body];
    rpcRequests += calls.length;
    methods.push(...calls.map((c) => c.method));
  });
  let firstLoadGzipBytes = 0;
  const scripts: string[] = [];
  page.on("response", async (response) => {
    if (response.request().resourceType() !== "script") return;
    const body = await response.body();
    firstLoadGzipBytes += gzipSync(body).length;
    scripts.push(path.basename(new URL(response.url()).pathname));
  });
  await page.goto(app.url);
  await page
    .getByTestId("offering")
    .nth(OFFERINGS - 1)
    .waitFor({ timeout: 60_000 });
  await page.waitForLoadState("networkidle");

  const assets = path.join(app.outDir, "assets");
  const chunks = readdirSync(assets).filter((file) => file.endsWith(".js"));
  const chunksWith = (marker: string) =>
    chunks.filter((file) => readFileSync(path.join(assets, file), "utf8").includes(marker));
  /** Which of the on-demand libraries a first visit loads anyway: empty when all of them wait until used. */
  const firstLoadIncludes: string[] = [];
  for (const [name, marker] of Object.entries(LOADED_ONLY_WHEN_USED)) {
    const holders = chunksWith(marker);
    const eager = holders.filter((file) => scripts.includes(file));
    if (eager.length > 0) firstLoadIncludes.push(name);
    console.log(
      `${name}: ${holders.length === 0 ? "not in the build" : `in ${holders.join(", ")}`}` +
        `${eager.length > 0 ? " — LOADED ON FIRST VISIT" : holders.length > 0 ? " (loaded only when used)" : ""}`,
    );
  }

  const { score: lighthouseMobileScore, tbtMs } = await lighthouseMobile(app.url);
  const result = {
    firstLoadGzipBytes,
    offeringsPageRpcRequests: rpcRequests,
    firstLoadIncludes,
    lighthouseMobile: lighthouseMobileScore,
    tbtMs,
  };
  mkdirSync(path.join(root, "bench"), { recursive: true });
  writeFileSync(path.join(root, "bench", "web.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`scripts loaded on first visit: ${scripts.join(", ")}`);
  console.log(`JSON-RPC calls: ${methods.join(", ")}`);
  console.log(
    `first-load JavaScript: ${(firstLoadGzipBytes / 1024).toFixed(1)} kB gzip (aim ≤ 160 kB); ` +
      `offerings page with ${OFFERINGS} offerings: ${rpcRequests} JSON-RPC requests (aim ≤ 10); ` +
      `Lighthouse mobile ${lighthouseMobileScore} (aim ≥ 90), total blocking time ${tbtMs} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await app.server.close();
  await node.stop();
}
