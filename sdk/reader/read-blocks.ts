// Block headers, many per request, and the block a contract was deployed in. No Node APIs.
import { hexToBigInt, numberToHex, type Address, type Hex } from "viem";
import type { Progress } from "./read-logs.js";
import type { Rpc } from "./rpc.js";

export type BlockHeader = { hash: Hex; timestamp: number };

/** The hash and timestamp of each given block that exists (a block beyond the head is left out). */
export async function readBlockHeaders(
  rpc: Rpc,
  blocks: readonly bigint[],
  onProgress?: Progress,
): Promise<Map<bigint, BlockHeader>> {
  const out = new Map<bigint, BlockHeader>();
  const step = 100;
  for (let i = 0; i < blocks.length; i += step) {
    const slice = blocks.slice(i, i + step);
    const headers = await rpc.batch<{ hash: Hex; timestamp: Hex } | null>(
      slice.map((b) => ({ method: "eth_getBlockByNumber", params: [numberToHex(b), false] })),
    );
    headers.forEach((h, j) => {
      if (h) out.set(slice[j], { hash: h.hash, timestamp: Number(hexToBigInt(h.timestamp)) });
    });
    onProgress?.("timestamps", Math.min(i + step, blocks.length), blocks.length);
  }
  return out;
}

/** The first block with code at `address`, by bisection over `eth_getCode` (needs an archive node for old blocks). */
export async function findDeployBlock(rpc: Rpc, address: Address, latest: bigint): Promise<bigint> {
  let lo = 0n;
  let hi = latest;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    const code = await rpc.call<Hex>("eth_getCode", [address, numberToHex(mid)]);
    if (code && code !== "0x") hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}
