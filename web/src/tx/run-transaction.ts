// The one path every transaction takes: guard the network, simulate, sign, wait, and say what happened. It knows
// nothing of React; `TxProvider` turns its updates into toasts.
import { classifyError, type Failure } from "@earnest/sdk";
import type { Hash, TransactionReceipt } from "viem";

export type TxFailure =
  | Failure
  | { kind: "notConnected" }
  | { kind: "wrongNetwork" }
  | { kind: "failedOnChain"; hash: Hash }
  /** A merchant's relayer refused a signed booking: `code` is its `RelayerRefusalCode`, `details` the rest. */
  | { kind: "relayerRefused"; code: string; details: Record<string, unknown> }
  | { kind: "relayerUnreachable" }
  /** A Safe answered a signature request before its owners finished signing (Safe{Wallet} then answers "0x"). */
  | { kind: "signatureIncomplete" };

/** `signing`: waiting for the wallet; `relaying`: a merchant's relayer is submitting what the customer signed;
 *  `proposed`: a multisig (a Safe) holds the transaction until enough of its owners have signed and one executes it. */
export type TxStep = "simulating" | "signing" | "relaying" | "proposed" | "pending" | "confirmed" | "failed";

/** `hash` is always a chain transaction's; a multisig's proposal is `proposal` (its Safe transaction hash). */
export type TxUpdate = { step: TxStep; hash?: Hash; proposal?: Hash; failure?: TxFailure };

/** How a multisig's proposal ended: the transaction that executed it, and whether the proposed call succeeded
 *  (a Safe that pays its own gas records a failed call instead of reverting: `ExecutionFailure`). */
export type Execution = { hash: Hash; success: boolean };

export type TxResult = { ok: true; receipt: TransactionReceipt } | { ok: false; failure: TxFailure };

/** What the runner needs from the wallet and the chain; wagmi's actions in the app, fakes in the tests. */
export type TxDriver<Request> = {
  /** Whether a wallet is connected on the chain the dApp expects. */
  check(): "ready" | "notConnected" | "wrongNetwork";
  /** Simulates the call (throws its decoded revert) and returns what to sign. */
  simulate(): Promise<Request>;
  /** Has the wallet sign and send it. */
  send(request: Request): Promise<Hash>;
  wait(hash: Hash): Promise<TransactionReceipt>;
  /** Whether what `send` returned is a multisig's proposal (a Safe transaction hash, not yet on chain) rather
   *  than a transaction. Absent: always a transaction. */
  isProposal?(hash: Hash): Promise<boolean>;
  /** Follows a proposal until the multisig executes it. Required with `isProposal`. */
  waitForExecution?(proposal: Hash): Promise<Execution>;
  /** The step `send` is: the wallet's (default), or a relayer's. */
  sendStep?: "signing" | "relaying";
  /** Recognises errors only this driver throws (a relayer's refusals); the rest are classified as usual. */
  classify?(error: unknown): TxFailure | undefined;
};

export async function runTransaction<Request>(
  driver: TxDriver<Request>,
  onUpdate: (update: TxUpdate) => void,
): Promise<TxResult> {
  const classify = (error: unknown): TxFailure => driver.classify?.(error) ?? classifyError(error);
  const fail = (failure: TxFailure, hash?: Hash): TxResult => {
    onUpdate({ step: "failed", failure, hash });
    return { ok: false, failure };
  };
  const state = driver.check();
  if (state !== "ready") return fail({ kind: state });

  onUpdate({ step: "simulating" });
  let request: Request;
  try {
    request = await driver.simulate();
  } catch (error) {
    return fail(classify(error));
  }

  onUpdate({ step: driver.sendStep ?? "signing" });
  let hash: Hash;
  try {
    hash = await driver.send(request);
  } catch (error) {
    return fail(classify(error));
  }

  let executed: Execution | undefined;
  try {
    if (await driver.isProposal?.(hash)) {
      if (!driver.waitForExecution) throw new Error("A driver that recognises proposals must follow them.");
      onUpdate({ step: "proposed", proposal: hash });
      executed = await driver.waitForExecution(hash);
      hash = executed.hash;
    }
  } catch (error) {
    return fail(classify(error));
  }

  onUpdate({ step: "pending", hash });
  try {
    const receipt = await driver.wait(hash);
    if (receipt.status !== "success" || executed?.success === false) {
      return fail({ kind: "failedOnChain", hash }, hash);
    }
    onUpdate({ step: "confirmed", hash });
    return { ok: true, receipt };
  } catch (error) {
    return fail(classify(error), hash);
  }
}

/** A signature (permit, coupon) takes the same guard and the same error handling, without a chain step. */
export async function runSignature<T>(
  check: TxDriver<unknown>["check"],
  sign: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; failure: TxFailure }> {
  const state = check();
  if (state !== "ready") return { ok: false, failure: { kind: state } };
  try {
    const value = await sign();
    // Safe's Safe Apps provider answers "0x" for a message its other owners have yet to confirm: no signature.
    if (value === "0x") return { ok: false, failure: { kind: "signatureIncomplete" } };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, failure: classifyError(error) };
  }
}
