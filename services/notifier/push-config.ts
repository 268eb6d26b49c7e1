// The `push` settings: the VAPID key pair (RFC 8292) that signs every push request, the dApp origins whose
// Sign-In with Ethereum messages may subscribe, and when the "free cancellation ends" notice goes out. No keys, no
// push: the notifier runs as before and says so in its log. Keys given but wrong stop it with a named error.
import { createECDH } from "node:crypto";
import { checkKeys, ConfigError, integer, isObject, MissingSettingError, url } from "@earnest/service-kit";

/** A VAPID key that is not one, or a pair whose halves do not belong together. */
export class InvalidVapidKeyError extends ConfigError {
  override name = "InvalidVapidKeyError";
}

export type PushConfig = {
  /** The public key as the browser's `applicationServerKey` takes it: base64url of the 65-byte P-256 point. */
  vapidPublicKey: string;
  /** base64url of the 32-byte P-256 private key. */
  vapidPrivateKey: string;
  /** Who runs this notifier, for push services to reach (`mailto:` or `https:`). */
  subject: string;
  /** The dApp origins: SIWE `domain` and `uri` must be one of them, and CORS answers them. */
  origins: string[];
  /** How long before free cancellation ends the notice goes out. */
  noticeSeconds: number;
  /** Accept `http:` subscription endpoints (tests and local push services only; real ones are https). */
  allowHttpEndpoints: boolean;
};

export const PUSH_DEFAULTS = { subject: "mailto:notifier@earnest.invalid", noticeHours: 24 } as const;

const PUSH_KEYS = ["vapidPublicKey", "vapidPrivateKey", "subject", "origins", "noticeHours", "allowHttpEndpoints"];

/** `env:NAME` reads the variable, so that the private key stays out of files and the process list. */
function fromEnv(value: unknown, where: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value !== "string" || !value.startsWith("env:")) return value;
  const name = value.slice(4);
  const resolved = env[name];
  if (resolved === undefined) throw new InvalidVapidKeyError(`${where} names the environment variable ${name}, unset.`);
  return resolved;
}

const MAKE_KEYS = "npx web-push generate-vapid-keys --json";

/** The private key must be a P-256 scalar and the public key its point (uncompressed, as browsers take it). */
function checkKeyPair(publicKey: unknown, privateKey: unknown): { publicKey: string; privateKey: string } {
  if (typeof publicKey !== "string" || typeof privateKey !== "string") {
    throw new InvalidVapidKeyError(`push.vapidPublicKey and push.vapidPrivateKey must be strings: ${MAKE_KEYS}.`);
  }
  try {
    const ecdh = createECDH("prime256v1");
    const raw = Buffer.from(privateKey, "base64url");
    if (raw.length !== 32 || raw.toString("base64url") !== privateKey) throw new Error("not 32 bytes of base64url");
    ecdh.setPrivateKey(raw);
    if (ecdh.getPublicKey().toString("base64url") !== publicKey) throw new Error("the keys are not one pair");
  } catch (error) {
    throw new InvalidVapidKeyError(
      `The VAPID keys are not a P-256 key pair (${(error as Error).message}): ${MAKE_KEYS}.`,
    );
  }
  return { publicKey, privateKey };
}

function subject(value: unknown): string {
  if (typeof value !== "string" || !/^(mailto:.+|https:\/\/.+)$/.test(value)) {
    throw new ConfigError(`push.subject must be a mailto: or https: URL: ${JSON.stringify(value)}.`);
  }
  return value;
}

/** The `push` section, or undefined when it sets no keys (push off). */
export function pushConfig(value: unknown, env: NodeJS.ProcessEnv): PushConfig | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ConfigError(`push must be an object { vapidPublicKey, vapidPrivateKey, origins }.`);
  checkKeys(value, PUSH_KEYS, "push");
  const publicValue = fromEnv(value.vapidPublicKey, "push.vapidPublicKey", env);
  const privateValue = fromEnv(value.vapidPrivateKey, "push.vapidPrivateKey", env);
  if (publicValue === undefined && privateValue === undefined) return undefined;
  if (publicValue === undefined || privateValue === undefined) {
    throw new MissingSettingError(`push needs both vapidPublicKey and vapidPrivateKey: ${MAKE_KEYS}.`);
  }
  const keys = checkKeyPair(publicValue, privateValue);
  const originList = typeof value.origins === "string" ? [value.origins] : value.origins;
  if (!Array.isArray(originList) || originList.length === 0) {
    throw new MissingSettingError(`push.origins must list the dApp's origin(s), e.g. ["https://app.example"].`);
  }
  const origins = originList.map((item, i) => new URL(url(item, `push.origins[${i}]`)).origin);
  if (value.allowHttpEndpoints !== undefined && typeof value.allowHttpEndpoints !== "boolean") {
    throw new ConfigError(`push.allowHttpEndpoints must be true or false.`);
  }
  return {
    vapidPublicKey: keys.publicKey,
    vapidPrivateKey: keys.privateKey,
    subject: subject(value.subject ?? PUSH_DEFAULTS.subject),
    origins,
    noticeSeconds: 3600 * integer(value.noticeHours ?? PUSH_DEFAULTS.noticeHours, "push.noticeHours", 1, 24 * 30),
    allowHttpEndpoints: value.allowHttpEndpoints === true,
  };
}
