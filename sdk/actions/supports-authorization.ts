import { zeroHash, type Address, type Client } from "viem";
import { readContract } from "viem/actions";
import { erc3009Abi } from "../generated/abis.js";
import type { GetTokenDomainErrorType } from "./get-token-domain.js";
import { readOptional } from "./read-optional.js";

export type SupportsAuthorizationParameters = { token: Address; authorizer: Address };

export type SupportsAuthorizationReturnType = boolean;

export type SupportsAuthorizationErrorType = GetTokenDomainErrorType;

/** Whether the token takes ERC-3009 authorizations (USDC's `receiveWithAuthorization`): its
 *  `authorizationState(authorizer, 0x0…)` answers. Signing one needs the token's domain too (`getTokenDomain`). */
export async function supportsAuthorization(
  client: Client,
  { token, authorizer }: SupportsAuthorizationParameters,
): Promise<SupportsAuthorizationReturnType> {
  const state = await readOptional(() =>
    readContract(client, {
      address: token,
      abi: erc3009Abi,
      functionName: "authorizationState",
      args: [authorizer, zeroHash],
    }),
  );
  return typeof state === "boolean";
}
