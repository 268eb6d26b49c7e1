// The relayer's refusals, shared by the service (services/relayer) and its client (submit-signed-booking.ts): each
// code with the HTTP status it is answered with. A refusal's body is `{ error: { code, message, ...details } }`.

export const relayerRefusalStatus = {
  /** The body is not a signed booking (details: `field`). */
  BadRequest: 400,
  /** The body is larger than the relayer accepts. */
  PayloadTooLarge: 413,
  /** No such endpoint (details: `path`). */
  NotFound: 404,
  /** The offering is unknown or not one of the relayer's merchants'. */
  OfferingNotServed: 403,
  /** The offering's token is ETH, or has no permit or no ERC-3009 for the payment given. */
  UnsupportedPayment: 422,
  /** The intent's deadline has passed or is closer than the relayer's minimum (details: `deadline`, `minimum`). */
  Expired: 422,
  /** The customer's nonce was used by another booking. */
  NonceUsed: 409,
  /** The escrow would revert (details: `errorName` and `args` of its custom error, when decodable). */
  SimulationFailed: 422,
  /** Too many requests from this customer or address (details: `retryAfter` seconds, `scope`). */
  RateLimited: 429,
  /** The merchant's gas budget for today is spent (details: `merchant`, `retryAfter` seconds). */
  BudgetExhausted: 429,
  /** The transaction could not be sent or reverted on chain. */
  SubmissionFailed: 502,
} as const;

export type RelayerRefusalCode = keyof typeof relayerRefusalStatus;

export const relayerRefusalCodes = Object.keys(relayerRefusalStatus) as RelayerRefusalCode[];

export function isRelayerRefusalCode(value: unknown): value is RelayerRefusalCode {
  return typeof value === "string" && Object.hasOwn(relayerRefusalStatus, value);
}

/** A refusal as the relayer sends it. */
export type RelayerRefusalBody = {
  error: { code: RelayerRefusalCode; message: string } & Record<string, unknown>;
};

/** A booking's answer as the relayer sends it (integers as decimal strings). */
export type RelayerBookingAnswer = { bookingId: string; transactionHash: `0x${string}`; blockNumber: string };

export type RelayerRefusedErrorType = RelayerRefusedError & { name: "RelayerRefusedError" };
/** The relayer answered with a refusal. `code` says why; `details` holds the rest of its error object. */
export class RelayerRefusedError extends Error {
  override name = "RelayerRefusedError";
  readonly code: RelayerRefusalCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor({
    code,
    status,
    message,
    details = {},
  }: {
    code: RelayerRefusalCode;
    status: number;
    message: string;
    details?: Record<string, unknown>;
  }) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export type RelayerUnreachableErrorType = RelayerUnreachableError & { name: "RelayerUnreachableError" };
/** No answer from the relayer, or one that is not the relayer protocol (a proxy's error page, a timeout). */
export class RelayerUnreachableError extends Error {
  override name = "RelayerUnreachableError";
  readonly url: string;
  constructor({ url, cause }: { url: string; cause?: unknown }) {
    super(`Cannot reach the relayer at ${url}.`, { cause });
    this.url = url;
  }
}
