// Which chain the dApp reads from, and the queries every page shares. The sdk actions are pure; these give them
// query keys and a client, and the hooks stay thin.
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Address, Client } from "viem";
import { getBlock } from "viem/actions";
import { useAccount, useClient } from "wagmi";
import { getOfferings } from "@earnest/sdk";
import { defaultChain, deploymentOn, type Deployment } from "../config";

/** The wallet's chain when Earnest is deployed there, else the default chain: reads never need a wallet. */
export function useReadChain(): { chainId: number; deployment: Deployment | undefined; client: Client } {
  const { chainId: walletChain } = useAccount();
  const chainId = deploymentOn(walletChain) ? walletChain! : defaultChain.id;
  const client = useClient({ chainId }) as Client;
  return { chainId, deployment: deploymentOn(chainId), client };
}

export function offeringsQuery(client: Client, chainId: number, escrow: Address | undefined) {
  return queryOptions({
    queryKey: ["offerings", chainId, escrow],
    queryFn: () => getOfferings(client, { escrow: escrow! }),
    enabled: escrow !== undefined,
  });
}

export function useOfferings() {
  const { client, chainId, deployment } = useReadChain();
  return useQuery(offeringsQuery(client, chainId, deployment?.escrow));
}

/** The chain's clock: refunds and windows are judged by block time, which a local chain can move. */
export function chainTimeQuery(client: Client, chainId: number) {
  return queryOptions({
    queryKey: ["chainTime", chainId],
    queryFn: async () => {
      const block = await getBlock(client, { blockTag: "latest" });
      // Block time lags the wall clock between blocks; add the time since we asked.
      return { blockTime: Number(block.timestamp), fetchedAt: Date.now() / 1000 };
    },
    refetchInterval: 30_000,
  });
}

export function useChainNow(): number | undefined {
  const { client, chainId } = useReadChain();
  const { data } = useQuery(chainTimeQuery(client, chainId));
  if (!data) return undefined;
  // An idle local chain's last block is old, and a test chain's clock may run ahead of the wall clock: the next
  // block will carry the later of the two.
  const now = Date.now() / 1000;
  return Math.floor(Math.max(now, data.blockTime + (now - data.fetchedAt)));
}
