// Many transactions quickly, for benchmarks: sent as JSON-RPC batches from the node's unlocked accounts, one block
// per batch (the node's automine must be off), then checked to have succeeded.
import { toHex, type Address, type Hex } from "viem";
import { postJson, type HardhatNode } from "./processes.js";

export type Tx = { from: Address; to?: Address; data: Hex; value?: bigint; gas?: number };

export async function sendBatched(node: HardhatNode, txs: Tx[], perBlock = 250): Promise<void> {
  for (let i = 0; i < txs.length; i += perBlock) {
    const slice = txs.slice(i, i + perBlock);
    const results = await postJson<{ result?: Hex; error?: { message: string } }[]>(
      node.url,
      slice.map((t, id) => ({
        jsonrpc: "2.0",
        id,
        method: "eth_sendTransaction",
        params: [{ from: t.from, to: t.to, data: t.data, value: toHex(t.value ?? 0n), gas: toHex(t.gas ?? 300_000) }],
      })),
    );
    const failed = results.find((r) => r.error);
    if (failed) throw new Error(failed.error!.message);
    await node.rpc("evm_mine");
    const last = results[results.length - 1].result!;
    const receipt = await node.rpc<{ status: Hex } | null>("eth_getTransactionReceipt", [last]);
    if (!receipt || receipt.status !== "0x1") throw new Error("A seeding transaction failed or was not mined.");
  }
}
