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
  | { kind: "relayerUnreachable" };

/** `signing`: waiting for the wallet; `relaying`: a merchant's relayer is submitting what the customer signed. */
export type TxStep = "simulating" | "signing" | "relaying" | "pending" | "confirmed" | "failed";

export type TxUpdate = { step: TxStep; hash?: Hash; failure?: TxFailure };

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

  onUpdate({ step: "pending", hash });
  try {
    const receipt = await driver.wait(hash);
    if (receipt.status !== "success") return fail({ kind: "failedOnChain", hash }, hash);
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
    return { ok: true, value: await sign() };
  } catch (error) {
    return { ok: false, failure: classifyError(error) };
  }
}
