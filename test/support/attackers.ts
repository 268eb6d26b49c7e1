// What the attack tests (and a few others) share: transactions mined together in one block in the order sent (races and
// front-running), the custom error a mined, reverted transaction reverted with, and malleated ECDSA signatures.
import assert from "node:assert/strict";
import {
  concat,
  decodeErrorResult,
  getAddress,
  numberToHex,
  parseSignature,
  type Abi,
  type Address,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { connection, networkHelpers, type PublicClient } from "./fixture.js";

/** Order of the secp256k1 group: s and n - s are both valid ecrecover inputs for the same signer. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Sends every transaction into the mempool with automine off, mines them all in one block, and returns receipts. */
export async function inOneBlock(
  f: { publicClient: PublicClient },
  sends: Array<() => Promise<Hash>>,
): Promise<TransactionReceipt[]> {
  const hashes: Hash[] = [];
  await connection.provider.request({ method: "evm_setAutomine", params: [false] });
  try {
    for (const send of sends) hashes.push(await send());
    await networkHelpers.mine();
  } finally {
    await connection.provider.request({ method: "evm_setAutomine", params: [true] });
  }
  const receipts = await Promise.all(hashes.map((hash) => f.publicClient.waitForTransactionReceipt({ hash })));
  const block = receipts[0].blockNumber;
  receipts.forEach((r, i) => {
    assert.equal(r.blockNumber, block, "all in one block");
    assert.equal(r.transactionIndex, i, "mined in the order sent");
  });
  return receipts;
}

/** The custom error a mined, reverted transaction reverted with, decoded with `abi` from its trace. */
export async function revertOf<const TAbi extends Abi>(abi: TAbi, receipt: TransactionReceipt) {
  assert.equal(receipt.status, "reverted");
  const trace = (await connection.provider.request({
    method: "debug_traceTransaction",
    params: [receipt.transactionHash, { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { failed: boolean; returnValue: string };
  assert.equal(trace.failed, true);
  const data = (trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`) as Hex;
  return decodeErrorResult({ abi, data });
}

/** The same signature with s replaced by n - s and v flipped: ecrecover still yields the signer. */
export function highS(signature: Hex): Hex {
  const { r, s, yParity } = parseSignature(signature);
  const flipped = SECP256K1_N - BigInt(s);
  assert.ok(flipped > SECP256K1_N / 2n);
  return concat([r, numberToHex(flipped, { size: 32 }), numberToHex(yParity === 0 ? 28 : 27, { size: 1 })]);
}

/** What the ecrecover precompile makes of a 65-byte signature over `digest`. */
export async function ecrecover(f: { publicClient: PublicClient }, digest: Hex, signature: Hex): Promise<Address> {
  const r = signature.slice(0, 66) as Hex;
  const s: Hex = `0x${signature.slice(66, 130)}`;
  const v = BigInt(`0x${signature.slice(130, 132)}`);
  const { data } = await f.publicClient.call({
    to: "0x0000000000000000000000000000000000000001",
    data: concat([digest, numberToHex(v, { size: 32 }), r, s]),
  });
  assert.ok(data);
  return getAddress(`0x${data.slice(26)}`);
}
