// Maps whatever the Ledger stack throws (DMK errors are plain objects with `_tag`, device answers carry a
// status word in `errorCode`, the browser throws DOMExceptions) to one translated message that says what to do.
// Kept free of any @ledgerhq import so the overlay can use it without loading the Ledger chunk.

export type LedgerMessageKey =
  | "locked"
  | "appNotInstalled"
  | "wrongApp"
  | "rejected"
  | "blindSigning"
  | "disconnected"
  | "webhidUnavailable"
  | "permissionCancelled"
  | "busy"
  | "notOnboarded"
  | "signerMismatch"
  | "cancelled"
  | "unknown";

export interface LedgerMessage {
  key: LedgerMessageKey;
  values?: Record<string, string>;
}

/** Thrown by our own code, already described. */
export class LedgerError extends Error {
  constructor(
    readonly description: LedgerMessage,
    options?: { cause?: unknown },
  ) {
    super(`Ledger: ${description.key}`, options);
    this.name = "LedgerError";
  }
}

const BY_STATUS_WORD: Record<string, LedgerMessageKey> = {
  "5515": "locked",
  "6982": "locked", // older firmwares answer "security status not satisfied" while the screen is locked
  "6985": "rejected",
  "5501": "rejected",
  "6a80": "blindSigning",
  "6807": "appNotInstalled",
  "6e00": "wrongApp", // CLA not supported: the dashboard or another app answered
  "6d00": "wrongApp",
  "6511": "wrongApp",
  "6a15": "wrongApp",
};

const BY_TAG: Record<string, LedgerMessageKey> = {
  DeviceLockedError: "locked",
  RefusedByUserDAError: "rejected",
  ActionRefusedError: "rejected",
  DeviceNotOnboardedError: "notOnboarded",
  UnsupportedApplicationDAError: "wrongApp",
  DeviceSessionNotFound: "disconnected",
  DeviceDisconnectedWhileSendingError: "disconnected",
  DeviceDisconnectedBeforeSendingApdu: "disconnected",
  DisconnectError: "disconnected",
  ReconnectionFailedError: "disconnected",
  UnknownDeviceError: "disconnected",
  ConnectionOpeningError: "disconnected",
  SendApduTimeoutError: "disconnected",
  TransportNotSupportedError: "webhidUnavailable",
  WebHidTransportNotSupportedError: "webhidUnavailable",
  NoAccessibleDeviceError: "permissionCancelled",
  DeviceBusyError: "busy",
  AlreadySendingApduError: "busy",
  SendApduConcurrencyError: "busy",
};

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function detailOf(error: unknown): string {
  const message = field(error, "message");
  if (typeof message === "string" && message) return message;
  const tag = field(error, "_tag");
  return typeof tag === "string" ? tag : String(error);
}

export function describeLedgerError(error: unknown): LedgerMessage {
  return describe(error, 0);
}

function describe(error: unknown, depth: number): LedgerMessage {
  if (error instanceof LedgerError) return error.description;

  const code = field(error, "errorCode");
  if (typeof code === "string" && BY_STATUS_WORD[code.toLowerCase()]) {
    return { key: BY_STATUS_WORD[code.toLowerCase()] };
  }

  const tag = field(error, "_tag");
  if (typeof tag === "string" && BY_TAG[tag]) return { key: BY_TAG[tag] };

  // WebHID's chooser closed without a pick, or no user gesture: both mean "pick your device again".
  const name = field(error, "name");
  if (name === "NotFoundError" || name === "NotAllowedError") return { key: "permissionCancelled" };
  if (name === "SecurityError") return { key: "webhidUnavailable" };

  // DMK wraps transport failures; the first recognisable cause decides.
  const cause = field(error, "originalError") ?? field(error, "err") ?? field(error, "cause");
  if (cause !== undefined && depth < 4) {
    const inner = describe(cause, depth + 1);
    if (inner.key !== "unknown") return inner;
  }
  return { key: "unknown", values: { detail: detailOf(error) } };
}
