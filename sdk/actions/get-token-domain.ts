import { domainSeparator, getAddress, type Address, type BaseError, type Client, type Hex } from "viem";
import { getChainId, readContract } from "viem/actions";
import { readOptional } from "./read-optional.js";

export type GetTokenDomainParameters = { token: Address };

/** A token's EIP-712 domain, in the form `signTypedData` takes. `version` is absent for a domain without one. */
export type TokenDomain = {
  name: string;
  version?: string;
  chainId: number;
  verifyingContract: Address;
  salt?: Hex;
};

/** The token's domain, and how it was found: declared through EIP-5267, or matched against `DOMAIN_SEPARATOR()`.
 *  Undefined when neither works (the token signs nothing the dApp could build). */
export type GetTokenDomainReturnType = { domain: TokenDomain; source: "eip5267" | "domainSeparator" } | undefined;

export type GetTokenDomainErrorType = BaseError;

const TOKEN_DOMAIN_ABI = [
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
  { type: "function", name: "name", stateMutability: "view", inputs: [], outputs: [{ type: "string" }] },
  { type: "function", name: "version", stateMutability: "view", inputs: [], outputs: [{ type: "string" }] },
  { type: "function", name: "DOMAIN_SEPARATOR", stateMutability: "view", inputs: [], outputs: [{ type: "bytes32" }] },
] as const;

/** Versions tried when a token's `version()` is missing or does not match: EIP-2612 tokens mostly say "1", and
 *  USDC's second version "2". */
const VERSION_CANDIDATES = ["1", "2"];

/** A token's EIP-712 domain, found the way wallets find it: EIP-5267's `eip712Domain()` when the token has it;
 *  otherwise (USDC, and other tokens older than EIP-5267) `name()`, `version()` and `DOMAIN_SEPARATOR()`, accepting
 *  the domain `{ name, version, chainId, verifyingContract }` only when it hashes to the token's separator (trying
 *  the declared version, then the usual ones, then no version). A domain the token would not recognise is never
 *  returned: a signature in it would only fail on chain. */
export async function getTokenDomain(
  client: Client,
  { token }: GetTokenDomainParameters,
): Promise<GetTokenDomainReturnType> {
  const read = <const F extends "eip712Domain" | "name" | "version" | "DOMAIN_SEPARATOR">(functionName: F) =>
    readOptional(() => readContract(client, { address: token, abi: TOKEN_DOMAIN_ABI, functionName }));
  const [declared, name, version, separator, chainId] = await Promise.all([
    read("eip712Domain"),
    read("name"),
    read("version"),
    read("DOMAIN_SEPARATOR"),
    getChainId(client),
  ]);

  if (declared) {
    const [fields, dName, dVersion, dChainId, verifyingContract, salt, extensions] = declared;
    const bits = parseInt(fields, 16);
    // Extensions change the domain in ways this reader does not know; fields must include name, chain and contract.
    if (extensions.length === 0 && (bits & 0b1101) === 0b1101) {
      const domain: TokenDomain = {
        name: dName,
        ...(bits & 0b10 ? { version: dVersion } : {}),
        chainId: Number(dChainId),
        verifyingContract,
        ...(bits & 0b10000 ? { salt } : {}),
      };
      return { domain, source: "eip5267" };
    }
  }

  if (name === undefined || separator === undefined) return undefined;
  const verifyingContract = getAddress(token);
  const versions = [...new Set([...(version !== undefined ? [version] : []), ...VERSION_CANDIDATES])];
  const candidates: TokenDomain[] = [
    ...versions.map((v) => ({ name, version: v, chainId, verifyingContract })),
    { name, chainId, verifyingContract },
  ];
  const match = candidates.find((domain) => domainSeparator({ domain }).toLowerCase() === separator.toLowerCase());
  return match && { domain: match, source: "domainSeparator" };
}
