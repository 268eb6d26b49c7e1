import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  encodeErrorResult,
  type Hash,
  type TransactionReceipt,
} from "viem";
import { describe, expect, it } from "vitest";
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
});
