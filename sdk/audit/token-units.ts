// The unit each audited token counts in, for people: its `symbol()` and `decimals()`, read from the token at the
// anchor block. Optional in ERC-20, so a token without them (or with a malformed answer) is shown in base units;
// the JSON report never uses these and keeps base units. No Node APIs.
import { encodeFunctionData, erc20Abi, formatUnits, numberToHex, zeroAddress, type Address } from "viem";
import { RpcRequestError } from "../reader/errors.js";
import type { Rpc } from "../reader/rpc.js";
import { MalformedResponseError } from "./errors.js";
import { decodeResult, word } from "./shape.js";

export type TokenUnit = { symbol: string; decimals: number };
/** By lower-case token address (zero address: native ETH); a token without a usable symbol is absent. */
export type TokenUnits = ReadonlyMap<Address, TokenUnit>;

export const NATIVE_UNIT: TokenUnit = { symbol: "ETH", decimals: 18 };

/** Longer symbols, or ones with control characters, are not a unit a summary line should print. */
const isPrintableSymbol = (s: string) => s.length > 0 && s.length <= 32 && !/\p{C}/u.test(s);

async function readOptional(rpc: Rpc, token: Address, tag: string, functionName: "symbol" | "decimals") {
  try {
    return await rpc.call<unknown>("eth_call", [
      { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName }) },
      tag,
    ]);
  } catch (e) {
    // A token without the function reverts; the amount is then shown in base units.
    if (e instanceof RpcRequestError) return undefined;
    throw e;
  }
}

async function readUnit(rpc: Rpc, token: Address, tag: string): Promise<TokenUnit | undefined> {
  const [symbolData, decimalsData] = await Promise.all([
    readOptional(rpc, token, tag, "symbol"),
    readOptional(rpc, token, tag, "decimals"),
  ]);
  if (symbolData === undefined || decimalsData === undefined) return undefined;
  try {
    const symbol = decodeResult(erc20Abi, "symbol", symbolData).trim();
    const decimals = word(decimalsData, "decimals()");
    if (!isPrintableSymbol(symbol) || decimals > 255n) return undefined;
    return { symbol, decimals: Number(decimals) };
  } catch (e) {
    if (e instanceof MalformedResponseError) return undefined;
    throw e;
  }
}

/** The unit of each token (ETH for the zero address), read at `blockNumber`. */
export async function readTokenUnits(
  rpc: Rpc,
  { tokens, blockNumber }: { tokens: readonly Address[]; blockNumber: bigint },
): Promise<TokenUnits> {
  const tag = numberToHex(blockNumber);
  const units = new Map<Address, TokenUnit>();
  await Promise.all(
    tokens.map(async (token) => {
      const key = token.toLowerCase() as Address;
      const unit = key === zeroAddress ? NATIVE_UNIT : await readUnit(rpc, key, tag);
      if (unit) units.set(key, unit);
    }),
  );
  return units;
}

/** `value` in the token's unit ("760 mUSD", "0.03 ETH"), or in base units when the token has none. No grouping:
 *  the same for every reader, so a summary compares byte for byte. */
export function formatTokenAmount(value: bigint, unit: TokenUnit | undefined): string {
  return unit ? `${formatUnits(value, unit.decimals)} ${unit.symbol}` : String(value);
}
