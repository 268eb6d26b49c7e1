// The paged log cache against a fake provider: a second read gives the same history from the cache alone, a longer
// one reads only the new blocks, a reader that stops part way leaves the cache as it was, a cache that reaches
// further is kept, and a damaged page is used up to the damage and named.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import {
  createRpc,
  readHistory,
  type Eip1193,
  type HistoryCache,
  type HistoryCacheHeader,
  type HistoryCachePage,
  type HistoryCounts,
  type RawLog,
} from "@earnest/sdk";

const ESCROW: Address = "0x00000000000000000000000000000000000000aa";
const hashOf = (b: number): Hex => `0x${b.toString(16).padStart(64, "0")}`;

/** A chain of blocks 0 to 2000 with a log every seventh block; counts its `eth_getLogs` calls. */
function fakeChain() {
  const calls = { logs: 0 };
  const provider: Eip1193 = {
    request({ method, params }) {
      if (method === "eth_getBlockByNumber") {
        const b = Number((params as [string])[0]);
        return Promise.resolve({ hash: hashOf(b), timestamp: `0x${(1000 + b).toString(16)}` });
      }
      assert.equal(method, "eth_getLogs");
      calls.logs++;
      const [{ fromBlock, toBlock }] = params as [{ fromBlock: string; toBlock: string }];
      const logs = [];
      for (let b = Number(fromBlock); b <= Number(toBlock); b++) {
        if (b % 7 === 0) logs.push({ blockNumber: `0x${b.toString(16)}`, logIndex: "0x0", data: `0x${b}` });
      }
      return Promise.resolve(logs);
    },
  };
  return { rpc: createRpc(provider), calls };
}

/** A cache in memory; `saved` is what the last commit left. */
function memoryCache() {
  const box: { saved?: { header: HistoryCacheHeader; pages: unknown[] } } = {};
  const cache: HistoryCache = {
    load: () => Promise.resolve(box.saved && { header: box.saved.header, pages: box.saved.pages }),
    create: (header) => {
      const pages: HistoryCachePage[] = [];
      return Promise.resolve({
        append: (page) => Promise.resolve(void pages.push(structuredClone(page))),
        commit: () => Promise.resolve(void (box.saved = { header, pages })),
        abort: () => Promise.resolve(),
      });
    },
  };
  return { cache, box };
}

async function read(rpc: ReturnType<typeof createRpc>, cache: HistoryCache, toBlock: bigint) {
  const counts: HistoryCounts = { cachedBlocks: 0 };
  const logs: RawLog[] = [];
  const times: number[] = [];
  const parameters = { chainId: 1, escrow: ESCROW, fromBlock: 1n, toBlock, toBlockHash: hashOf(Number(toBlock)) };
  for await (const page of readHistory(rpc, { ...parameters, cache, initialChunk: 50 }, counts)) {
    for (const l of page.logs) {
      logs.push(l);
      times.push(page.timestamps.get(BigInt(l.blockNumber))!);
    }
  }
  return { logs, times, counts };
}

describe("audit: paged log cache", () => {
  it("gives the same history from the cache, then reads only the blocks after it", async () => {
    const { rpc, calls } = fakeChain();
    const { cache, box } = memoryCache();
    const first = await read(rpc, cache, 1000n);
    assert.equal(first.logs.length, Math.floor(1000 / 7));
    assert.ok(box.saved!.pages.length > 1, "saved page by page");
    const readsBefore = calls.logs;
    const second = await read(rpc, cache, 1000n);
    assert.equal(calls.logs, readsBefore);
    assert.deepEqual(second, { ...first, counts: { cachedBlocks: 1000 } });
    const longer = await read(rpc, cache, 1500n);
    assert.equal(longer.counts.cachedBlocks, 1000);
    assert.equal(longer.logs.length, Math.floor(1500 / 7));
    assert.deepEqual(
      longer.times,
      longer.logs.map((l) => 1000 + Number(l.blockNumber)),
    );
    assert.equal(box.saved!.header.toBlock, "1500");
  });

  it("leaves the cache as it was when the reader stops part way, and keeps one that reaches further", async () => {
    const { rpc } = fakeChain();
    const { cache, box } = memoryCache();
    await read(rpc, cache, 1000n);
    const saved = box.saved;
    const parameters = { chainId: 1, escrow: ESCROW, fromBlock: 1n, toBlock: 1500n, toBlockHash: hashOf(1500) };
    const reading = readHistory(rpc, { ...parameters, cache });
    assert.equal((await reading.next()).done, false);
    await reading.return(undefined);
    assert.equal(box.saved, saved);
    const shorter = await read(rpc, cache, 500n);
    assert.equal(shorter.counts.cachedBlocks, 500);
    assert.equal(box.saved, saved);
  });

  it("uses a damaged cache up to the damage, names it, reads the rest and saves a whole one", async () => {
    const { rpc } = fakeChain();
    const { cache, box } = memoryCache();
    const first = await read(rpc, cache, 1000n);
    const pages = box.saved!.pages as HistoryCachePage[];
    // A log moved out of its page's range: not the history that was saved.
    const bad = pages[2].logs[0];
    pages[2].logs[0] = {
      ...bad,
      blockNumber: `0x${(Number(pages[2].toBlock) + 7).toString(16)}`,
    };
    const damaged = await read(rpc, cache, 1000n);
    assert.deepEqual(damaged.logs, first.logs);
    assert.equal(damaged.counts.cachedBlocks, Number(pages[2].fromBlock) - 1);
    assert.match(damaged.counts.cacheProblem!, /damaged from block \d+ \(a log of block \d+ out of order\)/);
    const again = await read(rpc, cache, 1000n);
    assert.deepEqual(again, { ...first, counts: { cachedBlocks: 1000 } });
  });
});
