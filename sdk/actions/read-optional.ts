// Feature detection by reading: a token either has a function or not, and only a revert or an empty answer says
// "not"; a node that cannot be reached is an error, never a missing feature.
import { BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError } from "viem";

/** Whether a failed read means the token lacks the function (it reverted, or answered nothing), rather than that
 *  the node could not be asked: only the former is an answer. */
export function isMissingFunction(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ContractFunctionZeroDataError) !== null
  );
}

/** Runs the read; undefined when the token does not have it. Other failures (the node unreachable) throw. */
export async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isMissingFunction(error)) return undefined;
    throw error;
  }
}
