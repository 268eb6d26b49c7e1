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
