// Configuration: a JSON file and command-line flags, checked in full before anything starts. Every problem is a
// named error class whose message says what is wrong and where, so a bad setting stops the service at once. (The
// classes and checks the services share are @earnest/service-kit's; an RPC that does not answer and an address
// without a contract are the sdk's RpcUnreachableError and NoContractError.)
import {
  address,
  checkKeys,
  ConfigError,
  integer,
  InvalidNumberError,
  InvalidUrlError,
  isObject,
  MissingSettingError,
  parseFlags,
  readConfigFile,
  url,
} from "@earnest/service-kit";
import { isHex, type Address, type Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { pushConfig, type PushConfig } from "./push-config.js";

/** The notifier's own error class; the shared ones are in @earnest/service-kit. */
export class InvalidSecretError extends ConfigError {
  override name = "InvalidSecretError";
}
/** A secret in the format before Standard Webhooks (any string): the message says how to replace it. */
export class LegacySecretError extends InvalidSecretError {
  override name = "LegacySecretError";
}

/** A coupon key (`--coupon-key`) that is not a private key. */
export class InvalidCouponKeyError extends ConfigError {
  override name = "InvalidCouponKeyError";
}

export type Webhooks = { secret: string; urls: string[] };

export type RiskConfig = {
  /** A burst: at least `count` bookings by one address within `windowSeconds`. */
  bookingBurst: { count: number; windowSeconds: number } | null;
  /** A spike: at least `count` cancellations (by customer or merchant) of one offering within `windowSeconds`. */
  cancellationSpike: { count: number; windowSeconds: number } | null;
  /** A large deposit: a booking of at least this amount, per token (zero address = ETH), in the token's units. */
  largeDeposit: Map<Address, bigint>;
  /** Every dispute opened raises an alert. */
  disputeOpened: boolean;
};

export type DeliveryConfig = {
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
};

export type Config = {
  rpc: string;
  /** How long one RPC request may take; a request that times out is tried once more, then the step fails. */
  rpcTimeoutMs: number;
  /** Undefined: the local deployment from sdk/generated/deployments.ts. */
  escrow: Address | undefined;
  /** Undefined: the contract's deployment block when known, else an error at start. */
  fromBlock: bigint | undefined;
  confirmations: number;
  db: string;
  host: string;
  port: number;
  pollIntervalMs: number;
  blocksPerQuery: number;
  /** Webhooks by merchant address (checksummed). */
  merchants: Map<Address, Webhooks>;
  alerts: Webhooks;
  risk: RiskConfig;
  delivery: DeliveryConfig;
  /** Web Push to customers' phones; undefined when no VAPID keys are set (push-config.ts). */
  push: PushConfig | undefined;
  /** The key that signs loyalty coupons (loyalty.ts); undefined: no loyalty rewards are issued. */
  couponKey: Hex | undefined;
};

export const DEFAULTS = {
  rpc: "http://127.0.0.1:8545",
  // Two tries of 4 s: an RPC that never answers is reported about 8 s after the code has loaded, within the 15 s
  // start-up deadline.
  rpcTimeoutMs: 4000,
  confirmations: 2,
  db: "notifier.db",
  host: "127.0.0.1",
  port: 9464,
  pollIntervalMs: 1000,
  blocksPerQuery: 1000,
  delivery: { concurrency: 16, timeoutMs: 10_000, maxAttempts: 12, backoffBaseMs: 1000, backoffMaxMs: 300_000 },
  bookingBurst: { count: 5, windowSeconds: 600 },
  cancellationSpike: { count: 5, windowSeconds: 3600 },
  largeDepositEth: 10n ** 19n, // 10 ETH
  /** Read for the coupon key when neither --coupon-key nor couponKey is given. */
  couponKeyVariable: "NOTIFIER_COUPON_KEY",
} as const;

/** The key sizes Standard Webhooks asks for (192 to 512 bits). */
const SECRET_BYTES = { min: 24, max: 64 };
const NEW_SECRET_COMMAND = `node -e "console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))"`;

const TOP_KEYS = [
  "rpc",
  "rpcTimeoutMs",
  "escrow",
  "fromBlock",
  "confirmations",
  "db",
  "host",
  "port",
  "pollIntervalMs",
  "blocksPerQuery",
  "merchants",
  "alerts",
  "delivery",
  "push",
  "couponKey",
];
const ALERT_KEYS = ["secret", "webhooks", "bookingBurst", "cancellationSpike", "largeDeposit", "disputeOpened"];
const MERCHANT_KEYS = ["secret", "webhooks"];
const DELIVERY_KEYS = ["concurrency", "timeoutMs", "maxAttempts", "backoffBaseMs", "backoffMaxMs"];

/** Secrets are Standard Webhooks secrets, `whsec_` and a base64 key; they may be written as `env:NAME` so that they
 *  stay out of files and process listings. */
function secret(value: unknown, where: string, env: NodeJS.ProcessEnv): string {
  if (typeof value !== "string") throw new InvalidSecretError(`${where} must be a string.`);
  let resolved = value;
  if (value.startsWith("env:")) {
    const name = value.slice(4);
    const fromEnv = env[name];
    if (fromEnv === undefined) throw new InvalidSecretError(`${where} names the environment variable ${name}, unset.`);
    resolved = fromEnv;
  }
  if (!resolved.startsWith("whsec_")) {
    // A secret of the notifier before Standard Webhooks: its receivers check the old `Earnest-Signature` header, so
    // they have to change anyway, and a fresh key costs nothing more than converting the old one.
    throw new LegacySecretError(
      `${where} is not a Standard Webhooks secret ("whsec_" and a base64 key). Webhooks are now signed the ` +
        `Standard Webhooks way: make a new secret with ${NEW_SECRET_COMMAND}, set it here and in the receiver, ` +
        `and verify with a Standard Webhooks library (services/notifier/README.md).`,
    );
  }
  const key = resolved.slice("whsec_".length);
  const bytes = Buffer.from(key, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0 || bytes.toString("base64") !== key) {
    throw new InvalidSecretError(`${where} must be "whsec_" followed by base64: ${NEW_SECRET_COMMAND} makes one.`);
  }
  if (bytes.length < SECRET_BYTES.min || bytes.length > SECRET_BYTES.max) {
    throw new InvalidSecretError(
      `${where} must hold a key of ${SECRET_BYTES.min} to ${SECRET_BYTES.max} bytes, not ${bytes.length}: ` +
        `${NEW_SECRET_COMMAND} makes one.`,
    );
  }
  return resolved;
}

/** The coupon key: 32 bytes of hex (with or without 0x), or `env:NAME` to keep it out of files and process
 *  listings. The message never echoes the value: it may be most of a real key. */
function couponKey(value: unknown, where: string, env: NodeJS.ProcessEnv): Hex {
  if (typeof value !== "string") throw new InvalidCouponKeyError(`${where} must be a string.`);
  let resolved = value.trim();
  if (resolved.startsWith("env:")) {
    const name = resolved.slice(4);
    const fromEnv = env[name];
    if (fromEnv === undefined || fromEnv === "") {
      throw new InvalidCouponKeyError(`${where} names the environment variable ${name}, which is unset.`);
    }
    resolved = fromEnv.trim();
  }
  if (!resolved.startsWith("0x")) resolved = `0x${resolved}`;
  const key = resolved.toLowerCase() as Hex;
  try {
    if (!isHex(key) || key.length !== 66) throw new Error("not 32 bytes");
    privateKeyToAddress(key); // throws for zero or a number not below the curve's order
  } catch {
    throw new InvalidCouponKeyError(`${where} is not a private key (32 bytes as hex).`);
  }
  return key;
}

function amount(value: unknown, where: string): bigint {
  if (
    (typeof value === "string" && /^\d+$/.test(value)) ||
    (typeof value === "number" && Number.isSafeInteger(value))
  ) {
    if (BigInt(value) > 0n) return BigInt(value);
  }
  throw new InvalidNumberError(`${where} must be a positive whole number of token units: ${JSON.stringify(value)}.`);
}

function urls(value: unknown, where: string): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) throw new InvalidUrlError(`${where} must be a URL or a list of URLs.`);
  return list.map((item, i) => url(item, `${where}[${i}]`));
}

function windowRule(value: unknown, where: string): { count: number; windowSeconds: number } | null {
  if (value === false || value === null) return null;
  if (!isObject(value)) throw new ConfigError(`${where} must be an object { count, windowSeconds } or false.`);
  checkKeys(value, ["count", "windowSeconds"], where);
  return {
    count: integer(value.count, `${where}.count`, 1),
    windowSeconds: integer(value.windowSeconds, `${where}.windowSeconds`, 1),
  };
}

/** The flags main.ts accepts; repeated flags collect into lists. */
export type Flags = {
  config?: string;
  rpc?: string;
  "rpc-timeout-ms"?: string;
  escrow?: string;
  "from-block"?: string;
  confirmations?: string;
  db?: string;
  host?: string;
  port?: string;
  "poll-interval-ms"?: string;
  webhook?: string[];
  secret?: string[];
  "alerts-webhook"?: string[];
  "alerts-secret"?: string;
  "coupon-key"?: string;
};

const VALUE_FLAGS = new Set([
  "config",
  "rpc",
  "rpc-timeout-ms",
  "escrow",
  "from-block",
  "confirmations",
  "db",
  "host",
  "port",
  "poll-interval-ms",
  "alerts-secret",
  "coupon-key",
]);
const LIST_FLAGS = new Set(["webhook", "secret", "alerts-webhook"]);

/** Parses `--name value` and `--name=value`. Returns the flags and any bare words (commands). */
export function parseArgs(argv: string[]): { flags: Flags; commands: string[] } {
  const { flags, words } = parseFlags<Flags>(argv, { values: VALUE_FLAGS, lists: LIST_FLAGS, words: true });
  return { flags, commands: words };
}

/** `<merchant>=<value>` from a flag. */
function pair(text: string, flag: string): [Address, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new MissingSettingError(`--${flag} takes <merchant address>=<value>: ${JSON.stringify(text)}.`);
  return [address(text.slice(0, eq), `--${flag} merchant`), text.slice(eq + 1)];
}

/** Builds the configuration from the flags and the file they name; flags win over the file. */
export function loadConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const file = flags.config ? readConfigFile(flags.config) : {};
  const where = flags.config ? `the config file` : "the config";
  checkKeys(file, TOP_KEYS, where);

  const rpc = url(flags.rpc ?? file.rpc ?? DEFAULTS.rpc, flags.rpc ? "--rpc" : "rpc");
  const escrowValue = flags.escrow ?? file.escrow;
  const escrow = escrowValue === undefined ? undefined : address(escrowValue, flags.escrow ? "--escrow" : "escrow");
  const fromValue = flags["from-block"] ?? file.fromBlock;
  const fromBlock =
    fromValue === undefined
      ? undefined
      : BigInt(integer(fromValue, flags["from-block"] ? "--from-block" : "fromBlock", 0));

  const merchants = new Map<Address, { secret?: string; urls: string[] }>();
  const fileMerchants = file.merchants ?? {};
  if (!isObject(fileMerchants)) throw new ConfigError(`merchants must be an object keyed by merchant address.`);
  for (const [key, value] of Object.entries(fileMerchants)) {
    const merchant = address(key, `merchants key ${JSON.stringify(key)}`);
    if (!isObject(value)) throw new ConfigError(`merchants.${key} must be an object { secret, webhooks }.`);
    checkKeys(value, MERCHANT_KEYS, `merchants.${key}`);
    merchants.set(merchant, {
      secret: value.secret === undefined ? undefined : secret(value.secret, `merchants.${key}.secret`, env),
      urls: urls(value.webhooks ?? [], `merchants.${key}.webhooks`),
    });
  }
  for (const text of flags.webhook ?? []) {
    const [merchant, value] = pair(text, "webhook");
    const entry = merchants.get(merchant) ?? { urls: [] };
    entry.urls.push(url(value, `--webhook for ${merchant}`));
    merchants.set(merchant, entry);
  }
  for (const text of flags.secret ?? []) {
    const [merchant, value] = pair(text, "secret");
    const entry = merchants.get(merchant) ?? { urls: [] };
    entry.secret = secret(value, `--secret for ${merchant}`, env);
    merchants.set(merchant, entry);
  }
  const checkedMerchants = new Map<Address, Webhooks>();
  for (const [merchant, entry] of merchants) {
    if (entry.urls.length === 0) continue;
    if (entry.secret === undefined) throw new MissingSettingError(`Merchant ${merchant} has webhooks but no secret.`);
    checkedMerchants.set(merchant, { secret: entry.secret, urls: entry.urls });
  }

  const alertsFile = file.alerts ?? {};
  if (!isObject(alertsFile)) throw new ConfigError(`alerts must be an object.`);
  checkKeys(alertsFile, ALERT_KEYS, "alerts");
  const alertUrls = [
    ...urls(alertsFile.webhooks ?? [], "alerts.webhooks"),
    ...(flags["alerts-webhook"] ?? []).map((u) => url(u, "--alerts-webhook")),
  ];
  const alertSecretValue = flags["alerts-secret"] ?? alertsFile.secret;
  const alertSecret =
    alertSecretValue === undefined
      ? ""
      : secret(alertSecretValue, flags["alerts-secret"] ? "--alerts-secret" : "alerts.secret", env);
  if (alertUrls.length > 0 && !alertSecret)
    throw new MissingSettingError(`Alert webhooks are set but no alert secret.`);

  const largeDeposit = new Map<Address, bigint>([
    ["0x0000000000000000000000000000000000000000", DEFAULTS.largeDepositEth],
  ]);
  if (alertsFile.largeDeposit !== undefined) {
    if (!isObject(alertsFile.largeDeposit)) {
      throw new ConfigError(`alerts.largeDeposit must be an object of token address → threshold.`);
    }
    largeDeposit.clear();
    for (const [token, threshold] of Object.entries(alertsFile.largeDeposit)) {
      largeDeposit.set(
        address(token, `alerts.largeDeposit key ${JSON.stringify(token)}`),
        amount(threshold, `alerts.largeDeposit.${token}`),
      );
    }
  }
  if (alertsFile.disputeOpened !== undefined && typeof alertsFile.disputeOpened !== "boolean") {
    throw new ConfigError(`alerts.disputeOpened must be true or false.`);
  }

  const deliveryFile = file.delivery ?? {};
  if (!isObject(deliveryFile)) throw new ConfigError(`delivery must be an object.`);
  checkKeys(deliveryFile, DELIVERY_KEYS, "delivery");
  const d = DEFAULTS.delivery;
  const delivery: DeliveryConfig = {
    concurrency: integer(deliveryFile.concurrency ?? d.concurrency, "delivery.concurrency", 1, 1000),
    timeoutMs: integer(deliveryFile.timeoutMs ?? d.timeoutMs, "delivery.timeoutMs", 1),
    maxAttempts: integer(deliveryFile.maxAttempts ?? d.maxAttempts, "delivery.maxAttempts", 1),
    backoffBaseMs: integer(deliveryFile.backoffBaseMs ?? d.backoffBaseMs, "delivery.backoffBaseMs", 1),
    backoffMaxMs: integer(deliveryFile.backoffMaxMs ?? d.backoffMaxMs, "delivery.backoffMaxMs", 1),
  };

  const db = flags.db ?? file.db ?? DEFAULTS.db;
  if (typeof db !== "string" || db === "") throw new ConfigError(`db must be a file path.`);
  const couponKeyValue = flags["coupon-key"] ?? file.couponKey ?? env[DEFAULTS.couponKeyVariable];
  const couponKeyWhere = flags["coupon-key"]
    ? "--coupon-key"
    : file.couponKey !== undefined
      ? "couponKey"
      : DEFAULTS.couponKeyVariable;
  const host = flags.host ?? file.host ?? DEFAULTS.host;
  if (typeof host !== "string" || host === "") throw new ConfigError(`host must be a host name or IP address.`);

  return {
    rpc,
    rpcTimeoutMs: integer(
      flags["rpc-timeout-ms"] ?? file.rpcTimeoutMs ?? DEFAULTS.rpcTimeoutMs,
      flags["rpc-timeout-ms"] ? "--rpc-timeout-ms" : "rpcTimeoutMs",
      100,
      60_000,
    ),
    escrow,
    fromBlock,
    confirmations: integer(
      flags.confirmations ?? file.confirmations ?? DEFAULTS.confirmations,
      flags.confirmations ? "--confirmations" : "confirmations",
      0,
      10_000,
    ),
    db,
    host,
    port: integer(flags.port ?? file.port ?? DEFAULTS.port, flags.port ? "--port" : "port", 0, 65535),
    pollIntervalMs: integer(
      flags["poll-interval-ms"] ?? file.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      "pollIntervalMs",
      10,
    ),
    blocksPerQuery: integer(file.blocksPerQuery ?? DEFAULTS.blocksPerQuery, "blocksPerQuery", 1),
    merchants: checkedMerchants,
    alerts: { secret: alertSecret, urls: alertUrls },
    risk: {
      bookingBurst:
        alertsFile.bookingBurst === undefined
          ? { ...DEFAULTS.bookingBurst }
          : windowRule(alertsFile.bookingBurst, "alerts.bookingBurst"),
      cancellationSpike:
        alertsFile.cancellationSpike === undefined
          ? { ...DEFAULTS.cancellationSpike }
          : windowRule(alertsFile.cancellationSpike, "alerts.cancellationSpike"),
      largeDeposit,
      disputeOpened: alertsFile.disputeOpened !== false,
    },
    delivery,
    push: pushConfig(file.push, env),
    couponKey:
      couponKeyValue === undefined || couponKeyValue === ""
        ? undefined
        : couponKey(couponKeyValue, couponKeyWhere, env),
  };
}
