import type { MulticallReturnType } from "viem/actions";
import { erc20Abi, zeroAddress, type Address, type Client } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { OfferingInfo } from "../offering.js";
import { readMany, tryReadMany, type TryReadManyReturnType } from "./read-many.js";

export type GetOfferingsParameters = { escrow: Address };

export type MerchantInfo = { address: Address; payout: Address; name: string };
export type TokenInfo = { address: Address; symbol: string; decimals: number };

export type GetOfferingsReturnType = {
  offerings: OfferingInfo[];
  merchants: Record<Address, MerchantInfo>;
  tokens: Record<Address, TokenInfo>;
  paused: boolean;
  feeBps: number;
};

/** Offerings read per `eth_call`. Multicall3 takes a few hundred within any node's gas and response limits; a
 *  deployless multicall returns its results as contract code, which may not exceed 24,576 bytes (EIP-170). */
const chunkSize = (client: Client) => (client.chain?.contracts?.multicall3 ? 200 : 10);

/** Offerings read with the count, before knowing how many exist. Each id past the count still costs its revert in
 *  the answer (some 160 bytes, a few ms on a slow phone network): 20 saves a round trip for most venues and costs
 *  a larger deployment about 3 kB. */
const speculativeReads = 20;

export const nativeToken: TokenInfo = { address: zeroAddress, symbol: "ETH", decimals: 18 };

/** Every offering with its merchant and token: the count, the config and the first 20 offerings in one `eth_call`,
 *  then the rest (a few hundred per `eth_call` through Multicall3), then merchants and tokens together. Two
 *  round trips for up to 20 offerings, three for up to 220. */
export async function getOfferings(
  client: Client,
  { escrow }: GetOfferingsParameters,
): Promise<GetOfferingsReturnType> {
  const contract = { address: escrow, abi: earnestEscrowAbi } as const;
  const offeringRead = (id: number) => ({ ...contract, functionName: "getOffering", args: [id] }) as const;
  const size = chunkSize(client);
  const firstSize = Math.min(size, speculativeReads);
  const firstIds = Array.from({ length: firstSize }, (_, i) => i + 1);
  const countCall = { ...contract, functionName: "offeringCount" } as const;
  const configCall = { ...contract, functionName: "config" } as const;
  const reads = await tryReadMany(client, [countCall, configCall, ...firstIds.map(offeringRead)]);
  // One batch of mixed reads: typed here by part, as viem types a tuple with a spread by its first element.
  let [count, config] = reads as unknown as TryReadManyReturnType<[typeof countCall, typeof configCall]>;
  // Neither reverts on an escrow: read again alone, for the error that says why.
  if (count === undefined || config === undefined) [count, config] = await readMany(client, [countCall, configCall]);
  const firstReads = reads.slice(2, 2 + count);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  // An offering under the count never reverts; if one did, read them again alone, for the error that says why.
  const first = firstReads.every((o) => o !== undefined)
    ? firstReads
    : await readMany(client, ids.slice(0, firstSize).map(offeringRead));
  const chunks: number[][] = [];
  for (let i = firstSize; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  const rest = await Promise.all(chunks.map((chunk) => readMany(client, chunk.map(offeringRead))));
  const stored = [...first, ...rest.flat()];
  const offerings: OfferingInfo[] = stored.map((o, i) => ({ id: ids[i], ...o }));

  const merchantAddresses = [...new Set(offerings.map((o) => o.merchant))];
  const tokenAddresses = [...new Set(offerings.map((o) => o.token))].filter((t) => t !== zeroAddress);
  const merchantCalls = merchantAddresses.map(
    (m) => ({ ...contract, functionName: "getMerchant", args: [m] }) as const,
  );
  const tokenCalls = tokenAddresses.flatMap(
    (address) =>
      [
        { address, abi: erc20Abi, functionName: "symbol" },
        { address, abi: erc20Abi, functionName: "decimals" },
      ] as const,
  );
  const facts = offerings.length === 0 ? [] : await readMany(client, [...merchantCalls, ...tokenCalls]);
  const merchantViews = facts.slice(0, merchantCalls.length) as MulticallReturnType<typeof merchantCalls, false>;
  const tokenFacts = facts.slice(merchantCalls.length);
  const merchants: Record<Address, MerchantInfo> = {};
  merchantAddresses.forEach((address, i) => {
    merchants[address] = { address, payout: merchantViews[i].payout, name: merchantViews[i].name };
  });
  const tokens: Record<Address, TokenInfo> = { [zeroAddress]: nativeToken };
  tokenAddresses.forEach((address, i) => {
    tokens[address] = { address, symbol: tokenFacts[2 * i] as string, decimals: tokenFacts[2 * i + 1] as number };
  });
  return { offerings, merchants, tokens, paused: config.paused, feeBps: config.feeBps };
}
