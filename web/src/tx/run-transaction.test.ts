import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  encodeErrorResult,
  type Hash,
  type TransactionReceipt,
} from "viem";
import { describe, expect, it, vi } from "vitest";
import { earnestEscrowAbi } from "@earnest/sdk";
import { runSignature, runTransaction, type TxDriver, type TxUpdate } from "./run-transaction";

const HASH: Hash = `0x${"11".repeat(32)}`;
const receipt = (status: "success" | "reverted") => ({ status, transactionHash: HASH }) as TransactionReceipt;

function driver(overrides: Partial<TxDriver<string>> = {}): TxDriver<string> & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    check: () => "ready",
    simulate: () => Promise.resolve("request"),
    send: (request) => {
      sent.push(request);
      return Promise.resolve(HASH);
    },
    wait: () => Promise.resolve(receipt("success")),
    ...overrides,
  };
}

function slotFull(): Error {
  const data = encodeErrorResult({ abi: earnestEscrowAbi, errorName: "SlotFull", args: [1, 1_800_000_000, 0n, 2] });
  return new BaseError("simulation failed", {
    cause: new ContractFunctionRevertedError({ abi: earnestEscrowAbi, data, functionName: "book" }),
  });
}

describe("runTransaction", () => {
  it("simulates, signs, waits and reports each step", async () => {
    const steps: TxUpdate[] = [];
    const d = driver();
    const result = await runTransaction(d, (u) => steps.push(u));
    expect(result.ok).toBe(true);
    expect(steps.map((s) => s.step)).toEqual(["simulating", "signing", "pending", "confirmed"]);
    expect(d.sent).toEqual(["request"]);
  });

  it("sends nothing when the wallet is on the wrong network or not connected", async () => {
    for (const state of ["wrongNetwork", "notConnected"] as const) {
      const d = driver({ check: () => state });
      const result = await runTransaction(d, () => {});
      expect(result).toEqual({ ok: false, failure: { kind: state } });
      expect(d.sent).toEqual([]);
    }
  });

  it("decodes a custom error from the simulation and sends nothing", async () => {
    const d = driver({ simulate: () => Promise.reject(slotFull()) });
    const result = await runTransaction(d, () => {});
    expect(result).toEqual({
      ok: false,
      failure: { kind: "contract", name: "SlotFull", args: [1, 1_800_000_000, 0n, 2] },
    });
    expect(d.sent).toEqual([]);
  });

  it("treats a rejection in the wallet as rejected, by class or by EIP-1193 code", async () => {
    const byClass = driver({
      send: () => Promise.reject(new UserRejectedRequestError(new Error("no"))),
    });
    expect(await runTransaction(byClass, () => {})).toEqual({ ok: false, failure: { kind: "rejected" } });
    const byCode = driver({ send: () => Promise.reject(Object.assign(new Error("User rejected"), { code: 4001 })) });
    expect(await runTransaction(byCode, () => {})).toEqual({ ok: false, failure: { kind: "rejected" } });
  });

  it("reports a transaction that was mined but reverted", async () => {
    const steps: TxUpdate[] = [];
    const d = driver({ wait: () => Promise.resolve(receipt("reverted")) });
    const result = await runTransaction(d, (u) => steps.push(u));
    expect(result).toEqual({ ok: false, failure: { kind: "failedOnChain", hash: HASH } });
    expect(steps.at(-1)).toMatchObject({ step: "failed", hash: HASH });
  });
});

describe("runTransaction with a multisig (a Safe)", () => {
  const SAFE_TX_HASH: Hash = `0x${"5a".repeat(32)}`;
  const EXECUTION_HASH: Hash = `0x${"e0".repeat(32)}`;

  /** A Safe's wallet: `send` answers the Safe transaction hash; the owners execute it when the test says so. */
  function multisig(success = true) {
    let execute!: () => void;
    const executed = new Promise<void>((resolve) => (execute = resolve));
    const waited: Hash[] = [];
    const d = driver({
      send: () => Promise.resolve(SAFE_TX_HASH),
      isProposal: (hash) => Promise.resolve(hash === SAFE_TX_HASH),
      waitForExecution: async (proposal) => {
        expect(proposal).toBe(SAFE_TX_HASH);
        await executed;
        return { hash: EXECUTION_HASH, success };
      },
      wait: (hash) => {
        waited.push(hash);
        return Promise.resolve({ status: "success", transactionHash: hash } as TransactionReceipt);
      },
    });
    return { d, execute, waited };
  }

  it("shows a proposal as proposed, follows it to its execution and confirms the executing transaction", async () => {
    const { d, execute, waited } = multisig();
    const steps: TxUpdate[] = [];
    let settled = false;
    const running = runTransaction(d, (u) => steps.push(u)).finally(() => (settled = true));
    await vi.waitFor(() => expect(steps.at(-1)).toEqual({ step: "proposed", proposal: SAFE_TX_HASH }));
    // Nothing is waited for on chain, and the caller does not resolve, until the other signers executed it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    expect(waited).toEqual([]);

    execute();
    const result = await running;
    expect(result).toMatchObject({ ok: true, receipt: { transactionHash: EXECUTION_HASH } });
    expect(steps.map((s) => s.step)).toEqual(["simulating", "signing", "proposed", "pending", "confirmed"]);
    expect(steps.at(-1)).toEqual({ step: "confirmed", hash: EXECUTION_HASH });
    expect(waited).toEqual([EXECUTION_HASH]);
  });

  it("fails a proposal whose execution failed, naming the executing transaction", async () => {
    const { d, execute } = multisig(false);
    execute();
    const steps: TxUpdate[] = [];
    const result = await runTransaction(d, (u) => steps.push(u));
    expect(result).toEqual({ ok: false, failure: { kind: "failedOnChain", hash: EXECUTION_HASH } });
    expect(steps.map((s) => s.step)).toEqual(["simulating", "signing", "proposed", "pending", "failed"]);
  });

  it("leaves an ordinary account's transaction as it was: no proposed step", async () => {
    const steps: TxUpdate[] = [];
    let followed = false;
    const d = driver({
      isProposal: () => Promise.resolve(false),
      waitForExecution: () => {
        followed = true;
        return Promise.reject(new Error("not a proposal"));
      },
    });
    const result = await runTransaction(d, (u) => steps.push(u));
    expect(result).toMatchObject({ ok: true, receipt: { transactionHash: HASH } });
    expect(steps).toEqual([
      { step: "simulating" },
      { step: "signing" },
      { step: "pending", hash: HASH },
      { step: "confirmed", hash: HASH },
    ]);
    expect(followed).toBe(false);
  });

  it("reports losing track of a proposal as a failure, not as done", async () => {
    const d = driver({
      send: () => Promise.resolve(SAFE_TX_HASH),
      isProposal: () => Promise.resolve(true),
      waitForExecution: () => Promise.reject(new Error("RPC down")),
    });
    const steps: TxUpdate[] = [];
    const result = await runTransaction(d, (u) => steps.push(u));
    expect(result).toMatchObject({ ok: false, failure: { kind: "unknown" } });
    expect(steps.map((s) => s.step)).toEqual(["simulating", "signing", "proposed", "failed"]);
  });
});

describe("runSignature", () => {
  it("returns the signature, or a calm rejection", async () => {
    expect(
      await runSignature(
        () => "ready",
        () => Promise.resolve("0xsig"),
      ),
    ).toEqual({ ok: true, value: "0xsig" });
    expect(
      await runSignature(
        () => "ready",
        () => Promise.reject(Object.assign(new Error("denied"), { code: 4001 })),
      ),
    ).toEqual({ ok: false, failure: { kind: "rejected" } });
    expect(
      await runSignature(
        () => "wrongNetwork",
        () => Promise.resolve("0xsig"),
      ),
    ).toEqual({
      ok: false,
      failure: { kind: "wrongNetwork" },
    });
  });

  it("does not take a Safe's empty answer (its owners have not all signed yet) for a signature", async () => {
    expect(
      await runSignature(
        () => "ready",
        () => Promise.resolve("0x"),
      ),
    ).toEqual({ ok: false, failure: { kind: "signatureIncomplete" } });
  });
});
