// Why an audit could not run, beyond what the reader throws (sdk/reader/errors.ts). Each class has a short message;
// the command line and the dApp match on the class.

export class AuditError extends Error {
  override name = "AuditError";
}

export type BlockRangeErrorType = BlockRangeError & { name: "BlockRangeError" };
/** The block range asked for does not exist on this chain (or is empty). */
export class BlockRangeError extends AuditError {
  override name = "BlockRangeError";
  constructor(message: string) {
    super(message);
  }
}

export type NotEarnestEscrowErrorType = NotEarnestEscrowError & { name: "NotEarnestEscrowError" };
/** The address holds a contract, but not an Earnest escrow of the version this sdk audits (another contract, a
 *  token, a look-alike, an older or newer escrow). `reason` says which sign was missing. */
export class NotEarnestEscrowError extends AuditError {
  override name = "NotEarnestEscrowError";
  readonly address: string;
  readonly reason: string;
  constructor({ address, reason }: { address: string; reason: string }) {
    super(`No Earnest escrow at ${address}: ${reason}.`);
    this.address = address;
    this.reason = reason;
  }
}

export type MalformedResponseErrorType = MalformedResponseError & { name: "MalformedResponseError" };
/** A value read from the RPC does not have the shape its method or ABI type gives it (an empty `0x`, a word of the
 *  wrong length, a header without a hash): the provider, not the escrow, is at fault. */
export class MalformedResponseError extends AuditError {
  override name = "MalformedResponseError";
  /** What was read, e.g. `eth_chainId` or `credits(token, account)`. */
  readonly what: string;
  constructor({ what, detail }: { what: string; detail: string }) {
    super(`The RPC returned a malformed ${what}: ${detail}.`);
    this.what = what;
  }
}

export type NotEarnestReviewsErrorType = NotEarnestReviewsError & { name: "NotEarnestReviewsError" };
/** The reviews address given holds no VerifiedReviews contract of the audited escrow (no code, or its `escrow()`
 *  names another contract). */
export class NotEarnestReviewsError extends AuditError {
  override name = "NotEarnestReviewsError";
  readonly address: string;
  constructor({ address, reason }: { address: string; reason: string }) {
    super(`No Earnest reviews contract of this escrow at ${address}: ${reason}.`);
    this.address = address;
  }
}
