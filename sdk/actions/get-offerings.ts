import { erc20Abi, zeroAddress, type Address, type Client } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { OfferingInfo } from "../offering.js";
import { readMany } from "./read-many.js";

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

export const nativeToken: TokenInfo = { address: zeroAddress, symbol: "ETH", decimals: 18 };

/** Every offering with its merchant and token: count and config, then the offerings (a few hundred per `eth_call`
 *  through Multicall3), then merchants and tokens together. Four `eth_call`s for up to 200 offerings. */
export async function getOfferings(
  client: Client,
  { escrow }: GetOfferingsParameters,
): Promise<GetOfferingsReturnType> {
  const contract = { address: escrow, abi: earnestEscrowAbi } as const;
  const [count, config] = await readMany(client, [
    { ...contract, functionName: "offeringCount" },
    { ...contract, functionName: "config" },
  ]);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const chunks: number[][] = [];
  const size = chunkSize(client);
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  const stored = (
    await Promise.all(
      chunks.map((chunk) =>
        readMany(
          client,
          chunk.map((id) => ({ ...contract, functionName: "getOffering", args: [id] }) as const),
        ),
      ),
    )
  ).flat();
  const offerings: OfferingInfo[] = stored.map((o, i) => ({ id: ids[i], ...o }));

  const merchantAddresses = [...new Set(offerings.map((o) => o.merchant))];
  const tokenAddresses = [...new Set(offerings.map((o) => o.token))].filter((t) => t !== zeroAddress);
  const [merchantViews, tokenFacts] = await Promise.all([
    merchantAddresses.length === 0
      ? []
      : readMany(
          client,
          merchantAddresses.map((m) => ({ ...contract, functionName: "getMerchant", args: [m] }) as const),
        ),
    tokenAddresses.length === 0
      ? []
      : readMany(
          client,
          tokenAddresses.flatMap(
            (address) =>
              [
                { address, abi: erc20Abi, functionName: "symbol" },
                { address, abi: erc20Abi, functionName: "decimals" },
              ] as const,
          ),
        ),
  ]);
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
