// The auditor's options: the usage text names every one, and each value is checked here, so that a typo stops the
// run with exit 2 and a message instead of being taken for a default (`Number("abc")` retries forever).
import { parseArgs } from "node:util";
import { isAddress, type Address } from "viem";

/** Each retry waits twice as long as the one before: beyond this a run would wait for days. */
const MAX_RETRIES = 20;

export const USAGE = `Usage: npm run audit -- [options]

Audits an Earnest escrow from its events and views, and writes report.json, bookings.csv and summary.txt.

Options:
  --rpc URL           JSON-RPC endpoint, http:// or https:// (default http://127.0.0.1:8545)
  --escrow ADDRESS    the escrow to audit (default: the deployment sdk/generated knows on the RPC's chain)
  --reviews ADDRESS   the reviews contract beside the escrow, whose reviews are checked against their bookings
                      (default: the one sdk/generated knows beside the escrow)
  --no-reviews        skip the reviews
  --from-block N      first block to read (default: the escrow's deployment block)
  --to-block N        last block to read and the block the views are read at (default: the latest)
  --out DIR           where the report goes (default audit-report)
  --cache DIR         where logs are cached between runs (default .audit-cache)
  --no-cache          read every log again and write no cache
  --retries N         retries per RPC request after transient errors, 0 to ${MAX_RETRIES} (default 5)
  -h, --help          print this help and exit

Exit status: 0 everything holds; 1 violations found; 2 the audit could not run.
`;

export type CliOptions =
  | { help: true }
  | {
      help: false;
      rpc: string;
      escrow: Address | undefined;
      /** undefined: the known one; null: none. */
      reviews: Address | null | undefined;
      fromBlock: bigint | undefined;
      toBlock: bigint | undefined;
      out: string;
      cache: string | undefined;
      retries: number;
    };

export type UsageErrorType = UsageError & { name: "UsageError" };
/** The command line is wrong; `hint` says how to put it right. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

const decimal = (name: string, value: string | undefined, what: string): bigint | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} must be ${what}, got "${value}".`, "Use decimal digits only.");
  return BigInt(value);
};

export function parseOptions(argv: string[]): CliOptions {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        rpc: { type: "string", default: "http://127.0.0.1:8545" },
        escrow: { type: "string" },
        reviews: { type: "string" },
        "no-reviews": { type: "boolean", default: false },
        "from-block": { type: "string" },
        "to-block": { type: "string" },
        out: { type: "string", default: "audit-report" },
        cache: { type: "string", default: ".audit-cache" },
        "no-cache": { type: "boolean", default: false },
        retries: { type: "string", default: "5" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message, "Run with --help for the options.");
  }
  if (values.help) return { help: true };

  let url: URL | undefined;
  try {
    url = new URL(values.rpc);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(
      `--rpc must be an http:// or https:// URL, got "${values.rpc}".`,
      "For example --rpc http://127.0.0.1:8545.",
    );
  }
  if (values.escrow !== undefined && !isAddress(values.escrow)) {
    throw new UsageError(
      `--escrow must be an address, got "${values.escrow}".`,
      "Pass the escrow's address: 0x and 40 hexadecimal characters (mixed case must match the checksum).",
    );
  }
  if (values.reviews !== undefined && !isAddress(values.reviews)) {
    throw new UsageError(
      `--reviews must be an address, got "${values.reviews}".`,
      "Pass the reviews contract's address: 0x and 40 hexadecimal characters, or --no-reviews.",
    );
  }
  if (values.reviews !== undefined && values["no-reviews"]) {
    throw new UsageError("--reviews and --no-reviews contradict each other.", "Pass one of them.");
  }
  const retries = decimal("retries", values.retries, `a whole number from 0 to ${MAX_RETRIES}`);
  if (retries! > BigInt(MAX_RETRIES)) {
    throw new UsageError(
      `--retries must be at most ${MAX_RETRIES}, got ${retries}.`,
      "Each retry waits twice as long as the one before; 5 is plenty for most providers.",
    );
  }
  return {
    help: false,
    rpc: values.rpc,
    escrow: values.escrow,
    reviews: values["no-reviews"] ? null : values.reviews,
    fromBlock: decimal("from-block", values["from-block"], "a block number"),
    toBlock: decimal("to-block", values["to-block"], "a block number"),
    out: values.out,
    cache: values["no-cache"] ? undefined : values.cache,
    retries: Number(retries),
  };
}
