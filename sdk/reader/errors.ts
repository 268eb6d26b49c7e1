// Why the chain could not be read. Each class has a short message and is matched by class (the auditor's command
// line and the dApp choose their advice by it; the notifier names it and stops at start).

export type RpcUnreachableErrorType = RpcUnreachableError & { name: "RpcUnreachableError" };
/** The RPC endpoint did not answer (network error or timeout, also after the retries). */
export class RpcUnreachableError extends Error {
  override name = "RpcUnreachableError";
  readonly url: string;
  constructor({ url, cause }: { url: string; cause?: unknown }) {
    super(`Cannot reach the RPC at ${url}.`, { cause });
    this.url = url;
  }
}

export type RpcRequestErrorType = RpcRequestError & { name: "RpcRequestError" };
/** The RPC answered with an error that retrying will not fix. */
export class RpcRequestError extends Error {
  override name = "RpcRequestError";
  readonly method: string;
  /** The JSON-RPC error code, or the HTTP status. */
  readonly code: number | undefined;
  constructor({ method, code, detail }: { method: string; code: number | undefined; detail: string }) {
    super(`${method} failed: ${detail}`);
    this.method = method;
    this.code = code;
  }
}

export type NoContractErrorType = NoContractError & { name: "NoContractError" };
/** There is no contract at the escrow address (at `blockNumber`, when given; else at the latest block). */
export class NoContractError extends Error {
  override name = "NoContractError";
  readonly address: string;
  constructor({ address, chainId, blockNumber }: { address: string; chainId: number; blockNumber?: bigint }) {
    super(
      `No contract at ${address} on chain ${chainId}${blockNumber === undefined ? "" : ` at block ${blockNumber}`}.`,
    );
    this.address = address;
  }
}

/** What any read through `Rpc` may throw. */
export type ReadErrorType = RpcUnreachableErrorType | RpcRequestErrorType;
