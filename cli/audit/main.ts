// `npm run audit -- [--rpc URL] [--escrow ADDRESS] [--from-block N] [--to-block N] [--out DIR] …` (--help lists all)
// Audits an Earnest escrow from its events and views; with no flags, the deployment sdk/generated knows on the
// chain at 127.0.0.1:8545. Writes report.json, bookings.csv and summary.txt to --out (default audit-report/).
// Exit 0: everything holds; 1: violations found; 2: the audit could not run (always with a message, never a stack
// trace: 1 must only ever mean violations). Logs are cached in .audit-cache/ so a rerun reads only new blocks.
// First: the heap settings must be in force before the audit allocates (see heap.ts).
import "./heap.js";
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Address } from "viem";
import type { HistoryCache, Rpc } from "@earnest/sdk";
// Loaded once heap.ts has run: static imports would all be loaded (viem and the sdk are most of the start-up's
// allocations) before its settings are in force.
const {
  deployments,
  audit,
  AuditError,
  BlockRangeError,
  createRpc,
  MalformedResponseError,
  NoContractError,
  NotEarnestEscrowError,
  NotEarnestReviewsError,
  quantity,
  readTokenUnits,
  RpcRequestError,
  RpcUnreachableError,
  summaryText,
} = await import("@earnest/sdk");
const { parseOptions, USAGE, UsageError } = await import("./options.js");

function fail(message: string, hint: string): never {
  process.stderr.write(`audit: ${message}\n${hint}\n`);
  process.exit(2);
}

/** The logs in DIR/ESCROW.ndjson: the header on the first line, then a page a line, so that a history of any
 *  length is read and written a page at a time. A new cache is written beside it and renamed over it once complete,
 *  so a run that stops part way leaves the old one. */
function fileCache(dir: string, escrow: Address): HistoryCache {
  const file = path.join(dir, `${escrow.toLowerCase()}.ndjson`);
  return {
    load: async () => {
      if (!existsSync(file)) return undefined;
      const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
      const iterator = lines[Symbol.asyncIterator]();
      const parse = (line: IteratorResult<string>): unknown => (line.done ? undefined : JSON.parse(line.value));
      let header: unknown;
      try {
        header = parse(await iterator.next());
      } catch {
        header = undefined;
      }
      async function* pages(): AsyncGenerator<unknown> {
        try {
          for (let line = await iterator.next(); !line.done; line = await iterator.next()) yield parse(line);
        } finally {
          lines.close();
        }
      }
      return { header, pages: pages() };
    },
    create: (header) => {
      mkdirSync(dir, { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      const fd = openSync(partial, "w");
      writeSync(fd, `${JSON.stringify(header)}\n`);
      return Promise.resolve({
        append: (page) => {
          writeSync(fd, `${JSON.stringify(page)}\n`);
          return Promise.resolve();
        },
        commit: () => {
          closeSync(fd);
          renameSync(partial, file);
          // The whole-history file of earlier versions, replaced by this one.
          rmSync(path.join(dir, `${escrow.toLowerCase()}.json`), { force: true });
          return Promise.resolve();
        },
        abort: () => {
          closeSync(fd);
          rmSync(partial, { force: true });
          return Promise.resolve();
        },
      });
    },
  };
}

let lastDraw = 0;
function progress(phase: string, done: number, total: number): void {
  if (!process.stderr.isTTY || total === 0) return;
  const now = Date.now();
  if (now - lastDraw < 100 && done < total) return;
  lastDraw = now;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${phase.padEnd(10)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}  `);
  if (done >= total) process.stderr.write("\n");
}

/** The escrow sdk/generated/deployments.ts records on the RPC's chain (none on a fresh clone, or another chain). */
async function defaultEscrow(rpc: Rpc): Promise<Address> {
  const chainId = quantity(await rpc.call<unknown>("eth_chainId"), "eth_chainId");
  const known = deployments[String(chainId)]?.EarnestEscrow;
  if (!known) {
    throw new UsageError(
      `No --escrow given, and no Earnest deployment is known on chain ${chainId}.`,
      "Pass --escrow ADDRESS, or deploy locally first (npm run chain, then npm run deploy:local).",
    );
  }
  return known.address;
}

async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = performance.now();
  const rpc = createRpc(options.rpc, { retries: options.retries });
  const escrow = options.escrow ?? (await defaultEscrow(rpc));
  const result = await audit({
    rpc,
    escrow,
    reviews: options.reviews,
    fromBlock: options.fromBlock,
    toBlock: options.toBlock,
    cache: options.cache === undefined ? undefined : fileCache(options.cache, escrow),
    onProgress: progress,
  });
  if (result.cacheProblem !== undefined) {
    process.stderr.write(`audit: ${result.cacheProblem}; its blocks were read from the RPC and the cache rewritten.\n`);
  }
  const units = await readTokenUnits(rpc, {
    tokens: result.verification.tokens.map((t) => t.token),
    blockNumber: result.meta.anchor.number,
  });
  // The JSON and CSV keep base units; only the summary, for people, counts in each token's unit.
  const summary = summaryText(result.meta, result.verification, result.digest, units);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(path.join(options.out, "report.json"), result.json);
  writeFileSync(path.join(options.out, "bookings.csv"), result.csv);
  writeFileSync(path.join(options.out, "summary.txt"), summary);
  process.stdout.write(summary);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(
    `Wrote ${path.join(options.out, "report.json")}, bookings.csv, summary.txt (${seconds} s, ${rpc.requests} RPC requests, ${result.cachedBlocks} blocks from cache).\n`,
  );
  return result.ok ? 0 : 1;
}

try {
  process.exit(await run(process.argv.slice(2)));
} catch (e) {
  if (e instanceof UsageError) fail(e.message, e.hint);
  if (e instanceof RpcUnreachableError) {
    fail(e.message, "Check the --rpc URL and that the node or provider is up (for the local chain: npm run chain).");
  }
  if (e instanceof NoContractError) {
    fail(
      e.message,
      "Check --escrow and that --rpc points at the chain it was deployed on (locally: npm run deploy:local).",
    );
  }
  if (e instanceof NotEarnestEscrowError) {
    fail(e.message, "Check --escrow: it must be the address of an Earnest escrow (v2) on the chain behind --rpc.");
  }
  if (e instanceof NotEarnestReviewsError) {
    fail(
      e.message,
      "Check --reviews: it must be the VerifiedReviews contract deployed beside --escrow, or pass --no-reviews.",
    );
  }
  if (e instanceof BlockRangeError) fail(e.message, "Pick --from-block/--to-block within the chain's blocks.");
  if (e instanceof MalformedResponseError) fail(e.message, "The provider's answer is not valid; try another RPC URL.");
  if (e instanceof RpcRequestError)
    fail(e.message, "The provider refused a request; try another RPC URL or a narrower block range.");
  if (e instanceof AuditError) fail(e.message, "See the message above.");
  // Anything else is a fault of this program, not a finding: exit 2 too, and name it so it can be reported.
  const error = e instanceof Error ? e : new Error(String(e));
  fail(`${error.name}: ${error.message}`, "An unexpected error; please report it with the command line you ran.");
}
