import { describe, expect, it, vi } from "vitest";
import type { Rpc } from "@earnest/sdk";
import { abortableRpc } from "./run";

/** An Rpc whose calls are spies; `rpc` is what `abortableRpc` wraps. */
function fakeRpc() {
  const call = vi.fn<(method: string, params?: unknown[]) => Promise<unknown>>(() => Promise.resolve("0x1"));
  const batch = vi.fn<(calls: unknown[]) => Promise<unknown[]>>(() => Promise.resolve(["0x1", "0x2"]));
  const rpc: Rpc = { call: call as Rpc["call"], batch: batch as Rpc["batch"], requests: 7, url: "http://node" };
  return { rpc, call, batch };
}

describe("abortableRpc", () => {
  it("passes calls through while the signal is live", async () => {
    const inner = fakeRpc();
    const rpc = abortableRpc(inner.rpc, new AbortController().signal);
    await expect(rpc.call("eth_chainId", [])).resolves.toBe("0x1");
    await expect(rpc.batch([{ method: "eth_blockNumber", params: [] }])).resolves.toEqual(["0x1", "0x2"]);
    expect(inner.call).toHaveBeenCalledWith("eth_chainId", []);
    expect([rpc.requests, rpc.url]).toEqual([7, "http://node"]);
  });

  it("sends nothing once aborted", async () => {
    const inner = fakeRpc();
    const controller = new AbortController();
    const rpc = abortableRpc(inner.rpc, controller.signal);
    controller.abort();
    await expect(rpc.call("eth_chainId")).rejects.toThrow();
    await expect(rpc.batch([])).rejects.toThrow();
    expect(inner.call).not.toHaveBeenCalled();
    expect(inner.batch).not.toHaveBeenCalled();
  });

  it("drops the answer of a request in flight when aborted", async () => {
    const controller = new AbortController();
    const inner = fakeRpc();
    inner.call.mockImplementation(() => {
      controller.abort();
      return Promise.resolve("0x1");
    });
    await expect(abortableRpc(inner.rpc, controller.signal).call("eth_chainId")).rejects.toThrow();
  });
});
