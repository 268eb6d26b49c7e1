// What the services' configuration has in common: a JSON file and command-line flags, checked in full before anything
// starts. Every problem is a named error class whose message says what is wrong and where, so a bad setting stops
// the service at once. A service adds its own classes (extending ConfigError) and checks beside these.
import { readFileSync } from "node:fs";
import { getAddress, isAddress, type Address } from "viem";

export class ConfigError extends Error {
  override name = "ConfigError";
}
export class ConfigFileError extends ConfigError {
  override name = "ConfigFileError";
}
export class UnknownOptionError extends ConfigError {
  override name = "UnknownOptionError";
}
export class InvalidAddressError extends ConfigError {
  override name = "InvalidAddressError";
}
export class InvalidUrlError extends ConfigError {
  override name = "InvalidUrlError";
}
export class InvalidNumberError extends ConfigError {
  override name = "InvalidNumberError";
}
export class MissingSettingError extends ConfigError {
  override name = "MissingSettingError";
}
/** Raised at start: the database was made for another chain or escrow (or, for the relayer, another account). */
export class DatabaseMismatchError extends ConfigError {
  override name = "DatabaseMismatchError";
}
/** Raised at start: the service's HTTP port cannot be bound. */
export class PortUnavailableError extends ConfigError {
  override name = "PortUnavailableError";
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkKeys(object: Json, allowed: string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new UnknownOptionError(`Unknown setting "${key}" in ${where}.`);
  }
}

export function address(value: unknown, where: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new InvalidAddressError(`${where} is not an address: ${JSON.stringify(value)}.`);
  }
  return getAddress(value);
}

export function url(value: unknown, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(String(value));
  } catch {
    throw new InvalidUrlError(`${where} is not a URL: ${JSON.stringify(value)}.`);
  }
  if (typeof value !== "string" || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new InvalidUrlError(`${where} must be an http(s) URL: ${JSON.stringify(value)}.`);
  }
  return value;
}

export function integer(value: unknown, where: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidNumberError(`${where} must be an integer from ${min} to ${max}: ${JSON.stringify(value)}.`);
  }
  return n;
}

/** The flags a service accepts: each takes a value; those in `lists` may repeat and collect into lists. */
export type FlagSpec = {
  values: ReadonlySet<string>;
  lists: ReadonlySet<string>;
  /** Whether bare words (commands) are accepted and returned; if not, the first one is an UnknownOptionError. */
  words: boolean;
};

/** Parses `--name value` and `--name=value` (values trimmed). Returns the flags and any bare words. */
export function parseFlags<Flags>(argv: string[], spec: FlagSpec): { flags: Flags; words: string[] } {
  const flags: Record<string, string | string[]> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      if (!spec.words) throw new UnknownOptionError(`Unexpected argument "${arg}".`);
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!spec.values.has(name) && !spec.lists.has(name)) throw new UnknownOptionError(`Unknown flag --${name}.`);
    let value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith("--"))) {
      throw new MissingSettingError(`--${name} needs a value.`);
    }
    value = value.trim();
    if (spec.lists.has(name)) flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return { flags: flags as Flags, words };
}

/** Reads the JSON object of a config file. */
export function readConfigFile(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigFileError(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new ConfigFileError(`The config file ${path} must hold a JSON object.`);
  return parsed;
}
