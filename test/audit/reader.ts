// The sdk's chain reader against a fake provider: log ranges shrink when refused as too large and grow back (also
// across reads that share a range), transient errors are retried, a request that never answers times out, and a
// persistent outage gives RpcUnreachableError.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogRange, createRpc, readLogs, type Eip1193 } from "@earnest/sdk";

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
    const logs = await readLogs(rpc, { address: ADDRESS, fromBlock: 1n, toBlock: 1000n, initialChunk: 1000 });
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
    await assert.rejects(readLogs(rpc, { address: ADDRESS, fromBlock: 1n, toBlock: 10n }), {
      name: "RpcUnreachableError",
    });
    assert.equal(rpc.requests, 3);
  });

  it("keeps what it learnt of the provider's limit for the next read that shares the range", async () => {
    const { provider, ranges } = fakeProvider(100, 0);
    const rpc = createRpc(provider);
    const range = createLogRange({ initial: 1000 });
    await readLogs(rpc, { address: ADDRESS, fromBlock: 1n, toBlock: 1000n, range });
    const firstRefused = rpc.requests - ranges.length;
    const [requests, accepted] = [rpc.requests, ranges.length];
    await readLogs(rpc, { address: ADDRESS, fromBlock: 1001n, toBlock: 2000n, range });
    const secondRefused = rpc.requests - requests - (ranges.length - accepted);
    assert.ok(secondRefused < firstRefused / 2, `refused ${firstRefused}, then ${secondRefused}`);
    assert.ok(ranges.every(([from, to]) => to - from + 1 <= 100));
  });

  it("sizes ranges by the logs of a provider that caps an answer's logs, busy stretch or quiet", async () => {
    const cap = 50;
    const answers: number[] = [];
    const blocks: number[] = [];
    // Ten logs a block in blocks 1000 to 1999, one every seventh block elsewhere.
    const logsIn = (b: number) => (b >= 1000 && b < 2000 ? 10 : b % 7 === 0 ? 1 : 0);
    const capped: Eip1193 = {
      request({ params }) {
        const [{ fromBlock, toBlock }] = params as [{ fromBlock: string; toBlock: string }];
        const logs = [];
        for (let b = Number(fromBlock); b <= Number(toBlock); b++) {
          for (let i = 0; i < logsIn(b); i++) logs.push({ blockNumber: `0x${b.toString(16)}`, logIndex: `0x${i}` });
        }
        if (logs.length > cap) {
          return Promise.reject(Object.assign(new Error(`query returned more than ${cap} results`), { code: -32005 }));
        }
        answers.push(logs.length);
        blocks.push(Number(toBlock) - Number(fromBlock) + 1);
        return Promise.resolve(logs);
      },
    };
    const rpc = createRpc(capped);
    const logs = await readLogs(rpc, { address: ADDRESS, fromBlock: 1n, toBlock: 5000n, initialChunk: 500 });
    let expected = 0;
    for (let b = 1; b <= 5000; b++) expected += logsIn(b);
    assert.equal(logs.length, expected);
    assert.ok(Math.max(...answers) <= cap);
    // After the busy stretch the range grows back well beyond the few blocks it needed there.
    const busy = Math.min(...blocks);
    assert.ok(blocks[blocks.length - 1] > 10 * busy, `ranges ${blocks.join(",")}`);
    const refused = rpc.requests - answers.length;
    assert.ok(refused < answers.length / 2, `${refused} refused, ${answers.length} answered`);
  });

  it("times out a request that never answers, and retries it", async () => {
    let sent = 0;
    const silent: Eip1193 = {
      request: () => {
        sent++;
        return new Promise(() => {});
      },
    };
    const rpc = createRpc(silent, { retries: 1, backoffMs: 1, timeoutMs: 20 });
    await assert.rejects(rpc.call("eth_blockNumber"), { name: "RpcUnreachableError" });
    assert.equal(sent, 2);
  });
});
