// What a relayer serves: its escrow and chain, the address it submits from, and its merchants. The dApp checks
// them before offering "Book without gas".
import { getAddress, isAddress, type Address } from "viem";
import { relayerRequest, relayerUrl, type Fetch } from "./request.js";
import { RelayerUnreachableError, type RelayerRefusedErrorType, type RelayerUnreachableErrorType } from "./refusals.js";

export type GetRelayerInfoParameters = { url: string; fetch?: Fetch; signal?: AbortSignal };

export type GetRelayerInfoReturnType = {
  escrow: Address;
  chainId: number;
  /** The account that submits and pays the gas. */
  relayer: Address;
  merchants: Address[];
  /** The least time, in seconds, an intent's deadline must leave when it arrives. */
  minDeadlineSeconds: number;
};

export type GetRelayerInfoErrorType = RelayerRefusedErrorType | RelayerUnreachableErrorType;

const isAddressValue = (value: unknown): value is string => typeof value === "string" && isAddress(value);

export async function getRelayerInfo({
  url,
  fetch,
  signal,
}: GetRelayerInfoParameters): Promise<GetRelayerInfoReturnType> {
  const endpoint = relayerUrl(url, "/");
  const body = (await relayerRequest(endpoint, { method: "GET", signal }, fetch)) as Record<string, unknown> | null;
  if (
    !body ||
    !isAddressValue(body.escrow) ||
    !isAddressValue(body.relayer) ||
    !Number.isSafeInteger(body.chainId) ||
    !Array.isArray(body.merchants) ||
    !body.merchants.every(isAddressValue)
  ) {
    throw new RelayerUnreachableError({ url: endpoint, cause: new Error("The answer is not a relayer's info") });
  }
  return {
    escrow: getAddress(body.escrow),
    chainId: body.chainId as number,
    relayer: getAddress(body.relayer),
    merchants: body.merchants.map((m) => getAddress(m)),
    minDeadlineSeconds: Number.isSafeInteger(body.minDeadlineSeconds) ? (body.minDeadlineSeconds as number) : 0,
  };
}
