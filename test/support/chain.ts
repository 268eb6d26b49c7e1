// Time, mined transactions and balances on the in-process chain.
import assert from "node:assert/strict";
import type { Address, Hash, TransactionReceipt } from "viem";
import { ETH, networkHelpers, viem, type PublicClient } from "./fixture.js";

/** The next transaction's block gets exactly timestamp `t`. */
export async function atTime(t: number | bigint): Promise<void> {
  await networkHelpers.time.setNextBlockTimestamp(t);
}

/** Waits for a transaction, asserts it succeeded and returns the receipt. */
export async function mined(
  f: { publicClient: PublicClient },
  hash: Hash | Promise<Hash>,
): Promise<TransactionReceipt> {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash: await hash });
  assert.equal(receipt.status, "success");
  return receipt;
}

/** The timestamp of the block that mined `hash`. */
export async function txTimestamp(f: { publicClient: PublicClient }, hash: Hash): Promise<number> {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return Number(block.timestamp);
}

/** Gas paid by the sender of a mined transaction. */
export function gasCost(receipt: TransactionReceipt): bigint {
  return receipt.gasUsed * receipt.effectiveGasPrice;
}

/** ETH or ERC-20 balance of an address. */
export async function balanceOf(f: { publicClient: PublicClient }, token: Address, account: Address): Promise<bigint> {
  if (token === ETH) return f.publicClient.getBalance({ address: account });
  const erc20 = await viem.getContractAt("MockStablecoin", token);
  return erc20.read.balanceOf([account]);
}

/** ETH balance of an address. */
export function ethBalance(f: { publicClient: PublicClient }, address: Address): Promise<bigint> {
  return balanceOf(f, ETH, address);
}
