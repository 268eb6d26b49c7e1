// What the booking form must know before the customer pays, to offer the fewest confirmations: whether the token
// signs permits or ERC-3009 authorizations (and in which domain), whether the wallet batches calls atomically
// (EIP-5792), and whether the customer holds ETH for the gas.
import { useQuery } from "@tanstack/react-query";
import { zeroAddress, type Address, type Client } from "viem";
import { useBalance, useClient, useConfig } from "wagmi";
import { estimateFeesPerGas, getCapabilities } from "wagmi/actions";
import { getPermitDomain, getTokenDomain, supportsAuthorization } from "@earnest/sdk";
import type { PaymentOptions } from "./book-flow";

/** Gas for a token booking the customer pays (`bookWithPermit` measures about 122,000; approve + book together
 *  about 135,000), with room: a balance below this many gas at today's price is "no ETH". */
export const BOOKING_GAS = 200_000n;

/** Whether `wallet_getCapabilities` says the wallet runs batches atomically on `chainId` (EIP-5792: `atomic`
 *  "supported", or "ready" to upgrade the account). Wallets without EIP-5792 throw: no batch. */
export function atomicBatchFrom(capabilities: unknown): boolean {
  const atomic = (capabilities as { atomic?: { status?: unknown } } | undefined)?.atomic;
  return atomic?.status === "supported" || atomic?.status === "ready";
}

/** The token's signature support for `customer`; nothing to find for ETH. */
export async function tokenSignatures(client: Client, token: Address, customer: Address) {
  if (token === zeroAddress) return { permitDomain: undefined, authorizationDomain: undefined };
  const [permitDomain, authorization] = await Promise.all([
    getPermitDomain(client, { token }),
    supportsAuthorization(client, { token, authorizer: customer }),
  ]);
  let authorizationDomain;
  if (authorization) {
    // ERC-3009 is signed in the token's domain, which a permit token has already told.
    authorizationDomain = permitDomain;
    authorizationDomain ??= (await getTokenDomain(client, { token }))?.domain;
  }
  return { permitDomain, authorizationDomain };
}

/** The payment options for booking `token` at a merchant with `relayer`; `ready` once every fact is known. */
export function usePaymentOptions({
  chainId,
  token,
  customer,
  relayer,
}: {
  chainId: number;
  token: Address;
  customer: Address | undefined;
  relayer: string | undefined;
}): { ready: boolean; options: Omit<PaymentOptions, "choice"> } {
  const config = useConfig();
  const client = useClient({ chainId }) as Client;
  const connected = customer !== undefined;
  const signatures = useQuery({
    queryKey: ["tokenSignatures", chainId, token, customer],
    queryFn: () => tokenSignatures(client, token, customer!),
    enabled: connected,
    staleTime: Infinity,
  });
  const capabilities = useQuery({
    queryKey: ["walletCapabilities", chainId, customer],
    queryFn: async () => {
      try {
        return atomicBatchFrom(await getCapabilities(config, { account: customer, chainId }));
      } catch {
        return false;
      }
    },
    enabled: connected && token !== zeroAddress,
    staleTime: Infinity,
  });
  const balance = useBalance({ address: customer, chainId });
  const fees = useQuery({
    queryKey: ["fees", chainId],
    queryFn: () => estimateFeesPerGas(config, { chainId }),
    enabled: connected,
  });
  const gasCost = fees.data ? (fees.data.maxFeePerGas ?? fees.data.gasPrice ?? 0n) * BOOKING_GAS : undefined;
  // No ETH at all is never enough (a chain whose fees read as zero still charges them); an unknown balance counts as
  // enough: the wallet, not a guess, then says when it is not.
  const value = balance.data?.value;
  const enoughEth = value === undefined || (value > 0n && (gasCost === undefined || value >= gasCost));
  const ready =
    connected &&
    signatures.isFetched &&
    (token === zeroAddress || capabilities.isFetched) &&
    (balance.isFetched || balance.isError) &&
    (fees.isFetched || fees.isError);
  return {
    ready,
    options: {
      relayer,
      permitDomain: signatures.data?.permitDomain,
      authorizationDomain: signatures.data?.authorizationDomain,
      atomicBatch: capabilities.data ?? false,
      enoughEth,
    },
  };
}
