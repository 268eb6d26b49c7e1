// Why an audit could not run. Each class has a short message; the command line matches on the class.

export class AuditError extends Error {
  override name = "AuditError";
}

/** The RPC endpoint did not answer (network error, or gave up after retries). */
export class RpcUnreachableError extends AuditError {
  override name = "RpcUnreachableError";
  constructor(url: string, cause?: unknown) {
    super(`Cannot reach the RPC at ${url}.`, { cause });
  }
}

/** The RPC answered with an error that retrying will not fix. */
export class RpcRequestError extends AuditError {
  override name = "RpcRequestError";
  constructor(
    method: string,
    readonly code: number | undefined,
    detail: string,
  ) {
    super(`${method} failed: ${detail}`);
  }
}

/** There is no contract at the escrow address at the anchor block. */
export class NoContractError extends AuditError {
  override name = "NoContractError";
  constructor(address: string, block: bigint) {
    super(`No contract at ${address} at block ${block}.`);
  }
}

/** The block range asked for does not exist on this chain (or is empty). */
export class BlockRangeError extends AuditError {
  override name = "BlockRangeError";
  constructor(message: string) {
    super(message);
  }
}
