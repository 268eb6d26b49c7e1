// The form's fields checked before anything is sent: each problem is named by its field.
import { isAddress, type Address } from "viem";

export type Fields = { rpcUrl: string; escrow: string; fromBlock: string; toBlock: string };

/** What `runAudit` needs. Blocks left out mean "from the deployment" and "to the latest block". */
export type AuditInput = { rpcUrl: string; escrow: Address; fromBlock?: bigint; toBlock?: bigint };

/** The `invalid.*` message each field shows. */
export type FieldError = "rpcUrl" | "escrow" | "block" | "range";

export type Validation =
  { ok: true; input: AuditInput } | { ok: false; errors: Partial<Record<keyof Fields, FieldError>> };

function httpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** Empty: not given; digits: a block; anything else: null (invalid). */
function block(text: string): bigint | undefined | null {
  if (text === "") return undefined;
  return /^\d+$/.test(text) ? BigInt(text) : null;
}

export function validate(fields: Fields): Validation {
  const rpcUrl = fields.rpcUrl.trim();
  const escrow = fields.escrow.trim();
  const fromBlock = block(fields.fromBlock.trim());
  const toBlock = block(fields.toBlock.trim());
  const errors: Partial<Record<keyof Fields, FieldError>> = {};
  if (!httpUrl(rpcUrl)) errors.rpcUrl = "rpcUrl";
  // Strict: a mixed-case address must carry a valid checksum, which catches most typos.
  if (!isAddress(escrow, { strict: true })) errors.escrow = "escrow";
  if (fromBlock === null) errors.fromBlock = "block";
  if (toBlock === null) errors.toBlock = "block";
  if (typeof fromBlock === "bigint" && typeof toBlock === "bigint" && fromBlock > toBlock) errors.fromBlock = "range";
  // The null tests repeat what `errors` holds, for the type checker.
  if (Object.keys(errors).length > 0 || fromBlock === null || toBlock === null) return { ok: false, errors };
  return { ok: true, input: { rpcUrl, escrow: escrow as Address, fromBlock, toBlock } };
}
