// Shape checks for what the auditor reads: JSON-RPC hands back untyped JSON and viem decodes whatever bytes it is
// given, so a provider's empty `0x`, a short word or a header without a hash would otherwise surface as a viem
// stack trace or, worse, as a zero the verifier takes at its word. Each helper returns the value typed or throws
// `MalformedResponseError` naming what was read. No Node APIs.
import { decodeFunctionResult, type Abi, type ContractFunctionName, type DecodeFunctionResultReturnType } from "viem";
import type { Hex } from "viem";
import { MalformedResponseError } from "./errors.js";

const describe = (value: unknown) =>
  typeof value === "string" ? `"${value.length > 80 ? `${value.slice(0, 77)}…` : value}"` : String(value);

/** `0x` and whole bytes of hex, as `eth_call` and `eth_getCode` return. */
export function hexData(value: unknown, what: string): Hex {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) {
    throw new MalformedResponseError({ what, detail: `expected hex bytes, got ${describe(value)}` });
  }
  return value as Hex;
}

/** A JSON-RPC quantity (`0x0`, `0x1a`, no leading zeros required), as `eth_chainId` or `eth_getBalance` return. */
export function quantity(value: unknown, what: string): bigint {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw new MalformedResponseError({ what, detail: `expected a hex quantity, got ${describe(value)}` });
  }
  return BigInt(value);
}

/** One ABI word (a `uint256`, `uint8`, … return): exactly 32 bytes, so an empty `0x` is not read as zero. */
export function word(value: unknown, what: string): bigint {
  const data = hexData(value, what);
  if (data.length !== 66) {
    throw new MalformedResponseError({ what, detail: `expected one 32-byte word, got ${(data.length - 2) / 2} bytes` });
  }
  return BigInt(data);
}

/** `decodeFunctionResult`, with a named error when the bytes do not decode as the function's outputs. */
export function decodeResult<const abi extends Abi, name extends ContractFunctionName<abi>>(
  abi: abi,
  functionName: name,
  value: unknown,
  what: string = functionName,
): DecodeFunctionResultReturnType<abi, name> {
  const data = hexData(value, what);
  if (data === "0x") throw new MalformedResponseError({ what, detail: "empty return data" });
  try {
    return decodeFunctionResult({ abi, functionName, data } as never);
  } catch (e) {
    throw new MalformedResponseError({
      what,
      detail: (e as Error & { shortMessage?: string }).shortMessage ?? "does not decode",
    });
  }
}

export type CheckedHeader = { number: bigint; hash: Hex; timestamp: number };

/** A block header from `eth_getBlockByNumber` with the fields the auditor uses; `null` stays `null` (no block). */
export function blockHeader(value: unknown, what: string): CheckedHeader | null {
  if (value === null) return null;
  if (typeof value !== "object")
    throw new MalformedResponseError({ what, detail: `expected a block, got ${describe(value)}` });
  const h = value as { number?: unknown; hash?: unknown; timestamp?: unknown };
  const hash = hexData(h.hash, `${what} hash`);
  if (hash.length !== 66) throw new MalformedResponseError({ what: `${what} hash`, detail: "expected 32 bytes" });
  return {
    number: quantity(h.number, `${what} number`),
    hash,
    timestamp: Number(quantity(h.timestamp, `${what} timestamp`)),
  };
}
