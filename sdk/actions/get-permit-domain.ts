import { zeroAddress, type Address, type Client } from "viem";
import { readContract } from "viem/actions";
import { getTokenDomain, type GetTokenDomainErrorType, type TokenDomain } from "./get-token-domain.js";
import { readOptional } from "./read-optional.js";

export type GetPermitDomainParameters = { token: Address };

/** The domain to sign the token's EIP-2612 permit in, or undefined: no permit. */
export type GetPermitDomainReturnType = TokenDomain | undefined;

export type GetPermitDomainErrorType = GetTokenDomainErrorType;

const NONCES_ABI = [
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ type: "uint256" }],
  },
] as const;

/** Whether the token takes EIP-2612 permits, and in which domain: a domain found by `getTokenDomain` (EIP-5267 or a
 *  matching `DOMAIN_SEPARATOR()`, as for USDC) and an answering `nonces(owner)`. */
export async function getPermitDomain(
  client: Client,
  { token }: GetPermitDomainParameters,
): Promise<GetPermitDomainReturnType> {
  const [found, nonce] = await Promise.all([
    getTokenDomain(client, { token }),
    readOptional(() =>
      readContract(client, { address: token, abi: NONCES_ABI, functionName: "nonces", args: [zeroAddress] }),
    ),
  ]);
  return found && nonce !== undefined ? found.domain : undefined;
}
