// Who sent transactions and what they called, many per request. No Node APIs.
import type { Address, Hex } from "viem";
import type { Rpc } from "./rpc.js";

/** A transaction's sender and the account it called (null for a contract creation). */
export type TransactionParties = { from: Address; to: Address | null };

/** The sender and callee of each given transaction that exists (one the node does not know is left out). */
export async function readTransactionParties(rpc: Rpc, hashes: readonly Hex[]): Promise<Map<Hex, TransactionParties>> {
  const out = new Map<Hex, TransactionParties>();
  const step = 100;
  for (let i = 0; i < hashes.length; i += step) {
    const slice = hashes.slice(i, i + step);
    const txs = await rpc.batch<{ from: Address; to: Address | null } | null>(
      slice.map((hash) => ({ method: "eth_getTransactionByHash", params: [hash] })),
    );
    txs.forEach((tx, j) => {
      if (tx) out.set(slice[j], { from: tx.from, to: tx.to });
    });
  }
  return out;
}
