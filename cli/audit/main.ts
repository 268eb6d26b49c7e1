// `npm run audit -- --rpc URL --escrow ADDRESS [--from-block N] [--to-block N] [--out DIR] [--no-cache] [--retries N]`
// Audits an Earnest escrow from its events and views; with no flags, the local deployment at 127.0.0.1:8545.
// Writes report.json, bookings.csv and summary.txt to --out (default audit-report/). Exit 0: everything holds;
// 1: violations found; 2: the audit could not run. Logs are cached in .audit-cache/ so a rerun reads only new blocks.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isAddress, type Address } from "viem";
import {
  deployments,
  audit,
  AuditError,
  BlockRangeError,
  NoContractError,
  RpcRequestError,
  RpcUnreachableError,
  type CacheData,
  type LogCache,
} from "@earnest/sdk";

function fail(message: string, hint: string): never {
  process.stderr.write(`audit: ${message}\n${hint}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      escrow: { type: "string" },
      "from-block": { type: "string" },
      "to-block": { type: "string" },
      out: { type: "string", default: "audit-report" },
      cache: { type: "string", default: ".audit-cache" },
      "no-cache": { type: "boolean", default: false },
      retries: { type: "string", default: "5" },
    },
  }).values;
} catch (e) {
  fail(
    (e as Error).message,
    "Usage: npm run audit -- --rpc URL --escrow ADDRESS [--from-block N] [--to-block N] [--out DIR]",
  );
}

const escrow = (args.escrow ?? deployments["31337"].EarnestEscrow.address) as Address;
if (!isAddress(escrow)) fail(`"${String(escrow)}" is not an address.`, "Pass the escrow's address with --escrow 0x….");
const block = (name: string, v: string | undefined): bigint | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) fail(`--${name} must be a block number, got "${v}".`, "Use a decimal block number.");
  return BigInt(v);
};
const fromBlock = block("from-block", args["from-block"]);
const toBlock = block("to-block", args["to-block"]);

function fileCache(dir: string): LogCache {
  const file = path.join(dir, `${escrow.toLowerCase()}.json`);
  return {
    load: () => {
      try {
        return Promise.resolve(JSON.parse(readFileSync(file, "utf8")) as CacheData);
      } catch {
        return Promise.resolve(undefined);
      }
    },
    save: (data) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, JSON.stringify(data));
      return Promise.resolve();
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

const started = performance.now();
try {
  const result = await audit({
    rpc: args.rpc,
    escrow,
    fromBlock,
    toBlock,
    cache: args["no-cache"] ? undefined : fileCache(args.cache),
    onProgress: progress,
    rpcOptions: { retries: Number(args.retries) },
  });
  mkdirSync(args.out, { recursive: true });
  writeFileSync(path.join(args.out, "report.json"), result.json);
  writeFileSync(path.join(args.out, "bookings.csv"), result.csv);
  writeFileSync(path.join(args.out, "summary.txt"), result.summary);
  process.stdout.write(result.summary);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(
    `Wrote ${path.join(args.out, "report.json")}, bookings.csv, summary.txt (${seconds} s, ${result.rpcRequests} RPC requests, ${result.cachedBlocks} blocks from cache).\n`,
  );
  process.exit(result.ok ? 0 : 1);
} catch (e) {
  if (e instanceof RpcUnreachableError) {
    fail(e.message, "Check the --rpc URL and that the node or provider is up (for the local chain: npm run chain).");
  }
  if (e instanceof NoContractError) {
    fail(
      e.message,
      "Check --escrow and that --rpc points at the chain it was deployed on (locally: npm run deploy:local).",
    );
  }
  if (e instanceof BlockRangeError) fail(e.message, "Pick --from-block/--to-block within the chain's blocks.");
  if (e instanceof RpcRequestError)
    fail(e.message, "The provider refused a request; try another RPC URL or a narrower block range.");
  if (e instanceof AuditError) fail(e.message, "See the message above.");
  throw e;
}
