// Configuration: a JSON file and command-line flags (flags win), checked in full before anything starts. Every
// problem is a named error class whose message says what is wrong and where, so a bad setting stops the relayer at
// once. (An RPC that does not answer and an address without a contract are the sdk's RpcUnreachableError and
// NoContractError; a contract that is not an Earnest escrow is the sdk's NotEarnestEscrowError. The classes and checks the services
// share are @earnest/service-kit's.)
import {
  address,
  checkKeys,
  ConfigError,
  integer,
  InvalidNumberError,
  isObject,
  MissingSettingError,
  parseFlags,
  readConfigFile,
  url,
} from "@earnest/service-kit";
import { isHex, type Address, type Hex } from "viem";

// The relayer's own error classes; the shared ones are in @earnest/service-kit.
export class InvalidKeyError extends ConfigError {
  override name = "InvalidKeyError";
}

/** What a merchant's daily budget counts: wei spent on gas (gas used × effective gas price), or gas units. */
export type BudgetUnit = "wei" | "gas";

/** A token bucket: up to `burst` requests at once, refilled at `perMinute`. */
export type RateLimit = { burst: number; perMinute: number };

export type Config = {
  rpc: string;
  /** Undefined: the local deployment from sdk/generated/deployments.ts. */
  escrow: Address | undefined;
  /** The relayer's private key: it signs and pays for every submission. */
  key: Hex;
  /** The merchants served, each with its daily budget (in `budgetUnit`; a UTC day). */
  merchants: Map<Address, bigint>;
  budgetUnit: BudgetUnit;
  /** Refuse intents whose deadline leaves less than this when they arrive (the submission needs time). */
  minDeadlineSeconds: number;
  rateLimits: { customer: RateLimit; ip: RateLimit };
  db: string;
  host: string;
  port: number;
  /** The `Access-Control-Allow-Origin` answered (the dApp calls from the browser). */
  corsOrigin: string;
  /** Take the client's address from `X-Forwarded-For` (only behind a proxy that sets it). */
  trustProxy: boolean;
  maxBodyBytes: number;
  /** Receipts are polled this often; a transaction without one is sent again every `rebroadcastMs`. */
  pollIntervalMs: number;
  rebroadcastMs: number;
  /** How long a request waits for its receipt before answering SubmissionFailed (the booking may still land). */
  receiptTimeoutMs: number;
  /** The first block to search for a booking someone else submitted for the same nonce. */
  fromBlock: bigint;
};

export const DEFAULTS = {
  rpc: "http://127.0.0.1:8545",
  budgetUnit: "wei" as BudgetUnit,
  dailyBudget: { wei: 5n * 10n ** 16n, gas: 25_000_000n } as Record<BudgetUnit, bigint>, // 0.05 ETH, or 25M gas
  minDeadlineSeconds: 30,
  rateLimits: { customer: { burst: 5, perMinute: 10 }, ip: { burst: 60, perMinute: 600 } },
  db: "relayer.db",
  host: "127.0.0.1",
  port: 8547,
  corsOrigin: "*",
  maxBodyBytes: 16_384,
  pollIntervalMs: 100,
  rebroadcastMs: 15_000,
  receiptTimeoutMs: 120_000,
  keyVariable: "RELAYER_KEY",
};

const TOP_KEYS = [
  "rpc",
  "escrow",
  "key",
  "merchants",
  "budget",
  "minDeadlineSeconds",
  "rateLimits",
  "db",
  "host",
  "port",
  "corsOrigin",
  "trustProxy",
  "maxBodyBytes",
  "pollIntervalMs",
  "rebroadcastMs",
  "receiptTimeoutMs",
  "fromBlock",
];

function amount(value: unknown, where: string): bigint {
  if (
    (typeof value === "string" && /^\d{1,78}$/.test(value)) ||
    (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
  ) {
    return BigInt(value);
  }
  throw new InvalidNumberError(
    `${where} must be a whole number (a decimal string for large ones): ${JSON.stringify(value)}.`,
  );
}

/** The key may be written as `env:NAME` so that it stays out of files and process listings. */
function key(value: unknown, where: string, env: NodeJS.ProcessEnv): Hex {
  if (typeof value !== "string") throw new InvalidKeyError(`${where} must be a string.`);
  let resolved = value;
  if (value.startsWith("env:")) {
    const name = value.slice(4);
    const fromEnv = env[name];
    if (fromEnv === undefined || fromEnv === "") {
      throw new MissingSettingError(`${where} names the environment variable ${name}, which is unset.`);
    }
    resolved = fromEnv.trim();
  }
  if (!resolved.startsWith("0x")) resolved = `0x${resolved}`;
  if (!isHex(resolved) || resolved.length !== 66 || /^0x0+$/.test(resolved)) {
    // Never echo the value: it may be most of a real key.
    throw new InvalidKeyError(`${where} is not a private key (32 bytes as hex).`);
  }
  return resolved.toLowerCase() as Hex;
}

function rateLimit(value: unknown, fallback: RateLimit, where: string): RateLimit {
  if (value === undefined) return { ...fallback };
  if (!isObject(value)) throw new ConfigError(`${where} must be an object { burst, perMinute }.`);
  checkKeys(value, ["burst", "perMinute"], where);
  return {
    burst: integer(value.burst ?? fallback.burst, `${where}.burst`, 1),
    perMinute: integer(value.perMinute ?? fallback.perMinute, `${where}.perMinute`, 1),
  };
}

/** The flags main.ts accepts; `--merchant` may repeat. */
export type Flags = {
  config?: string;
  rpc?: string;
  escrow?: string;
  key?: string;
  merchant?: string[];
  "daily-budget"?: string;
  "budget-unit"?: string;
  "min-deadline-seconds"?: string;
  db?: string;
  host?: string;
  port?: string;
  "from-block"?: string;
};

const VALUE_FLAGS = new Set([
  "config",
  "rpc",
  "escrow",
  "key",
  "daily-budget",
  "budget-unit",
  "min-deadline-seconds",
  "db",
  "host",
  "port",
  "from-block",
]);
const LIST_FLAGS = new Set(["merchant"]);

/** Parses `--name value` and `--name=value`. */
export function parseArgs(argv: string[]): Flags {
  return parseFlags<Flags>(argv, { values: VALUE_FLAGS, lists: LIST_FLAGS, words: false }).flags;
}

/** Builds the configuration from the flags and the file they name; flags win over the file. */
export function loadConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const file = flags.config ? readConfigFile(flags.config) : {};
  checkKeys(file, TOP_KEYS, "the config file");

  const rpc = url(flags.rpc ?? file.rpc ?? DEFAULTS.rpc, flags.rpc ? "--rpc" : "rpc");
  const escrowValue = flags.escrow ?? file.escrow;
  const escrow = escrowValue === undefined ? undefined : address(escrowValue, flags.escrow ? "--escrow" : "escrow");
  const keyValue = flags.key ?? file.key ?? `env:${DEFAULTS.keyVariable}`;
  const privateKey = key(keyValue, flags.key ? "--key" : file.key ? "key" : "The default key setting", env);

  const budgetFile = file.budget ?? {};
  if (!isObject(budgetFile)) throw new ConfigError(`budget must be an object { unit, daily }.`);
  checkKeys(budgetFile, ["unit", "daily"], "budget");
  const unitValue = flags["budget-unit"] ?? budgetFile.unit ?? DEFAULTS.budgetUnit;
  if (unitValue !== "wei" && unitValue !== "gas") {
    throw new ConfigError(`budget.unit must be "wei" or "gas": ${JSON.stringify(unitValue)}.`);
  }
  const budgetUnit: BudgetUnit = unitValue;
  const dailyValue = flags["daily-budget"] ?? budgetFile.daily;
  const daily =
    dailyValue === undefined
      ? DEFAULTS.dailyBudget[budgetUnit]
      : amount(dailyValue, flags["daily-budget"] ? "--daily-budget" : "budget.daily");

  const merchants = new Map<Address, bigint>();
  const fileMerchants = file.merchants ?? [];
  if (Array.isArray(fileMerchants)) {
    fileMerchants.forEach((m, i) => merchants.set(address(m, `merchants[${i}]`), daily));
  } else if (isObject(fileMerchants)) {
    for (const [k, value] of Object.entries(fileMerchants)) {
      const merchant = address(k, `merchants key ${JSON.stringify(k)}`);
      if (!isObject(value)) throw new ConfigError(`merchants.${k} must be an object { dailyBudget }.`);
      checkKeys(value, ["dailyBudget"], `merchants.${k}`);
      merchants.set(
        merchant,
        value.dailyBudget === undefined ? daily : amount(value.dailyBudget, `merchants.${k}.dailyBudget`),
      );
    }
  } else {
    throw new ConfigError(`merchants must be a list of addresses or an object keyed by merchant address.`);
  }
  for (const m of flags.merchant ?? []) {
    const merchant = address(m, "--merchant");
    if (!merchants.has(merchant)) merchants.set(merchant, daily);
  }
  if (merchants.size === 0) {
    throw new MissingSettingError(`No merchants: give --merchant <address> (or "merchants" in the config file).`);
  }

  const limits = file.rateLimits ?? {};
  if (!isObject(limits)) throw new ConfigError(`rateLimits must be an object { customer, ip }.`);
  checkKeys(limits, ["customer", "ip"], "rateLimits");

  const db = flags.db ?? file.db ?? DEFAULTS.db;
  if (typeof db !== "string" || db === "") throw new ConfigError(`db must be a file path.`);
  const host = flags.host ?? file.host ?? DEFAULTS.host;
  if (typeof host !== "string" || host === "") throw new ConfigError(`host must be a host name or IP address.`);
  const corsOrigin = file.corsOrigin ?? DEFAULTS.corsOrigin;
  if (typeof corsOrigin !== "string" || corsOrigin === "")
    throw new ConfigError(`corsOrigin must be "*" or an origin.`);
  if (file.trustProxy !== undefined && typeof file.trustProxy !== "boolean") {
    throw new ConfigError(`trustProxy must be true or false.`);
  }
  const fromBlockValue = flags["from-block"] ?? file.fromBlock ?? 0;

  return {
    rpc,
    escrow,
    key: privateKey,
    merchants,
    budgetUnit,
    minDeadlineSeconds: integer(
      flags["min-deadline-seconds"] ?? file.minDeadlineSeconds ?? DEFAULTS.minDeadlineSeconds,
      flags["min-deadline-seconds"] ? "--min-deadline-seconds" : "minDeadlineSeconds",
      0,
      86_400,
    ),
    rateLimits: {
      customer: rateLimit(limits.customer, DEFAULTS.rateLimits.customer, "rateLimits.customer"),
      ip: rateLimit(limits.ip, DEFAULTS.rateLimits.ip, "rateLimits.ip"),
    },
    db,
    host,
    port: integer(flags.port ?? file.port ?? DEFAULTS.port, flags.port ? "--port" : "port", 0, 65535),
    corsOrigin,
    trustProxy: file.trustProxy === true,
    maxBodyBytes: integer(file.maxBodyBytes ?? DEFAULTS.maxBodyBytes, "maxBodyBytes", 1024, 1_048_576),
    pollIntervalMs: integer(file.pollIntervalMs ?? DEFAULTS.pollIntervalMs, "pollIntervalMs", 10, 60_000),
    rebroadcastMs: integer(file.rebroadcastMs ?? DEFAULTS.rebroadcastMs, "rebroadcastMs", 100),
    receiptTimeoutMs: integer(file.receiptTimeoutMs ?? DEFAULTS.receiptTimeoutMs, "receiptTimeoutMs", 1000),
    fromBlock: BigInt(integer(fromBlockValue, flags["from-block"] ? "--from-block" : "fromBlock", 0)),
  };
}
