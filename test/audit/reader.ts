// The reader against a fake provider: log ranges shrink when refused as too large and grow back, transient errors
// are retried, and a persistent outage gives RpcUnreachableError.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRpc, readLogs, type Eip1193 } from "@earnest/sdk";

const ADDRESS = "0x00000000000000000000000000000000000000aa";

function fakeProvider(maxRange: number, flaky: number) {
  const ranges: [number, number][] = [];
  let failures = flaky;
  const provider: Eip1193 = {
    request({ method, params }) {
      assert.equal(method, "eth_getLogs");
      if (failures-- > 0) return Promise.reject(new Error("429 Too Many Requests: rate limit"));
      const [{ fromBlock, toBlock }] = params as [{ fromBlock: string; toBlock: string }];
      const from = Number(fromBlock);
      const to = Number(toBlock);
      if (to - from + 1 > maxRange) {
        return Promise.reject(Object.assign(new Error(`block range is too large (max ${maxRange})`), { code: -32602 }));
      }
      ranges.push([from, to]);
      const logs = [];
      for (let b = from; b <= to; b++) {
        if (b % 7 === 0) logs.push({ blockNumber: `0x${b.toString(16)}`, logIndex: "0x0" });
      }
      return Promise.resolve(logs);
    },
  };
  return { provider, ranges };
}

describe("audit: reader", () => {
  it("adapts the log range to what the provider accepts and retries transient errors", async () => {
    const { provider, ranges } = fakeProvider(100, 2);
    const rpc = createRpc(provider, { backoffMs: 1 });
    const logs = await readLogs(rpc, ADDRESS, 1n, 1000n, { initialChunk: 1000 });
    assert.equal(logs.length, Math.floor(1000 / 7));
    // Contiguous, no gaps or overlaps, never above the provider's limit.
    let next = 1;
    for (const [from, to] of ranges) {
      assert.equal(from, next);
      assert.ok(to - from + 1 <= 100);
      next = to + 1;
    }
    assert.equal(next, 1001);
    assert.ok(ranges.length < 20, `${ranges.length} ranges`);
  });

  it("gives up with RpcUnreachableError after its retries", async () => {
    const { provider } = fakeProvider(100, 100);
    const rpc = createRpc(provider, { retries: 2, backoffMs: 1 });
    await assert.rejects(readLogs(rpc, ADDRESS, 1n, 10n), { name: "RpcUnreachableError" });
    assert.equal(rpc.requests, 3);
  });
});
