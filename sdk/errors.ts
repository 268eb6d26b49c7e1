// What went wrong with a call or a transaction, in terms a person can be told: a contract's custom error (name and
// arguments, decoded against the escrow's ABI), a request the user turned down in the wallet, or something else.
import {
  BaseError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  type Abi,
} from "viem";

export type Failure =
  | { kind: "rejected" }
  | { kind: "contract"; name: string; args: readonly unknown[] }
  | { kind: "reverted"; reason?: string }
  | { kind: "insufficientFunds" }
  | { kind: "unknown"; message: string };

const REJECTED_CODES = new Set([4001, UserRejectedRequestError.code]);

/** Classifies any error thrown by viem, wagmi or a wallet. Rejections are recognised by class and by EIP-1193 code
 *  4001, since wallets and connectors wrap them differently. */
export function classifyError(error: unknown): Failure {
  if (error instanceof BaseError) {
    const rejected = error.walk(
      (e) => e instanceof UserRejectedRequestError || REJECTED_CODES.has((e as { code?: number }).code ?? 0),
    );
    if (rejected) return { kind: "rejected" };
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      if (revert.data?.errorName)
        return { kind: "contract", name: revert.data.errorName, args: revert.data.args ?? [] };
      return { kind: "reverted", reason: revert.reason };
    }
    if (error.walk((e) => e instanceof InsufficientFundsError)) return { kind: "insufficientFunds" };
    return { kind: "unknown", message: error.shortMessage };
  }
  if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === 4001) {
    return { kind: "rejected" };
  }
  return { kind: "unknown", message: error instanceof Error ? error.message : String(error) };
}

/** The names of the custom errors an ABI declares (the dApp must be able to word each of them). */
export function errorNames(abi: Abi): string[] {
  return abi.filter((item) => item.type === "error").map((item) => item.name);
}
