import type { Address, Hash, PublicClient } from "viem";
import { describe, expect, it } from "vitest";
import { isSafeAccount, waitForSafeExecution } from "./safe-proposal";

const SAFE: Address = "0x76f61fD678353453A26983AF14ED28d426f3286b";
const SAFE_TX_HASH: Hash = `0x${"5a".repeat(32)}`;
const EXECUTION: Hash = `0x${"e0".repeat(32)}`;

type Log = { eventName: string; transactionHash: Hash; args: { txHash: Hash } };

/** A chain on which the Safe's execution logs appear after `afterPolls` looks; it records each filter asked. */
function chain({ logs = [] as Log[], afterPolls = 0, receipt = undefined as Hash | undefined } = {}) {
  const asked: { event: string; address: Address; txHash: Hash; fromBlock: bigint }[] = [];
  let polls = 0;
  const client = {
    getLogs: ({ event, address, args, fromBlock }: never) => {
      const name = (event as { name: string }).name;
      asked.push({ event: name, address, txHash: (args as { txHash: Hash }).txHash, fromBlock });
      if (name === "ExecutionSuccess") polls++;
      const visible = polls > afterPolls ? logs : [];
      return Promise.resolve(
        visible.filter((log) => log.eventName === name && log.args.txHash === (args as { txHash: Hash }).txHash),
      );
    },
    getTransactionReceipt: ({ hash }: { hash: Hash }) =>
      hash === receipt
        ? Promise.resolve({ transactionHash: hash, status: "success" })
        : Promise.reject(new Error("TransactionReceiptNotFoundError")),
  } as unknown as PublicClient;
  return { client, asked, polls: () => polls };
}

describe("waitForSafeExecution", () => {
  it("waits until the Safe logs the execution of this proposal and names the executing transaction", async () => {
    const { client, asked, polls } = chain({
      afterPolls: 2,
      logs: [
        {
          eventName: "ExecutionSuccess",
          transactionHash: `0x${"01".repeat(32)}`,
          args: { txHash: `0x${"99".repeat(32)}` },
        },
        { eventName: "ExecutionSuccess", transactionHash: EXECUTION, args: { txHash: SAFE_TX_HASH } },
      ],
    });
    const execution = await waitForSafeExecution(client, {
      safe: SAFE,
      safeTxHash: SAFE_TX_HASH,
      fromBlock: 7n,
      pollMs: 1,
    });
    expect(execution).toEqual({ hash: EXECUTION, success: true });
    expect(polls()).toBe(3);
    expect(asked[0]).toEqual({ event: "ExecutionSuccess", address: SAFE, txHash: SAFE_TX_HASH, fromBlock: 7n });
    expect(asked.map((a) => a.event)).toContain("ExecutionFailure");
  });

  it("reports an execution whose call failed (ExecutionFailure)", async () => {
    const { client } = chain({
      logs: [{ eventName: "ExecutionFailure", transactionHash: EXECUTION, args: { txHash: SAFE_TX_HASH } }],
    });
    expect(await waitForSafeExecution(client, { safe: SAFE, safeTxHash: SAFE_TX_HASH, fromBlock: 0n })).toEqual({
      hash: EXECUTION,
      success: false,
    });
  });

  it("ends at once when the wallet answered with a real transaction hash", async () => {
    const { client } = chain({ receipt: EXECUTION });
    expect(await waitForSafeExecution(client, { safe: SAFE, safeTxHash: EXECUTION, fromBlock: 0n })).toEqual({
      hash: EXECUTION,
      success: true,
    });
  });

  it("stops following when told to", async () => {
    const { client } = chain();
    const abort = new AbortController();
    const waiting = waitForSafeExecution(client, {
      safe: SAFE,
      safeTxHash: SAFE_TX_HASH,
      fromBlock: 0n,
      pollMs: 1,
      signal: abort.signal,
    });
    abort.abort();
    await expect(waiting).rejects.toThrow();
  });
});

describe("isSafeAccount", () => {
  const reader = (code: string | undefined, threshold: boolean) =>
    ({
      chain: { id: 31337 },
      getCode: () => Promise.resolve(code),
      readContract: () => (threshold ? Promise.resolve(2n) : Promise.reject(new Error("no getThreshold"))),
    }) as unknown as PublicClient;

  it("is a Safe only with contract code that answers getThreshold", async () => {
    expect(await isSafeAccount(reader("0x6080", true), "0x0000000000000000000000000000000000000001")).toBe(true);
    expect(await isSafeAccount(reader(undefined, true), "0x0000000000000000000000000000000000000002")).toBe(false);
    expect(await isSafeAccount(reader("0x6080", false), "0x0000000000000000000000000000000000000003")).toBe(false);
    // An EIP-7702 key delegating to code is still an ordinary key: its hash is a transaction's.
    const delegated = `0xef0100${"ab".repeat(20)}`;
    expect(await isSafeAccount(reader(delegated, true), "0x0000000000000000000000000000000000000004")).toBe(false);
  });
});
