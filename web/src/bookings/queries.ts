import { useQuery } from "@tanstack/react-query";
import { zeroAddress, type Address } from "viem";
import { readMany, earnestEscrowAbi } from "@earnest/sdk";
import { useOfferings, useReadChain } from "../lib/chain";

/** The account's withdrawable credits, per token that any offering uses (ETH included), in one `eth_call`. */
export function useCredits(account: Address | undefined) {
  const { client, chainId, deployment } = useReadChain();
  const { data: offerings } = useOfferings();
  const tokens = offerings ? Object.keys(offerings.tokens) : [zeroAddress];
  return useQuery({
    queryKey: ["credits", chainId, deployment?.escrow, account, tokens],
    queryFn: async () => {
      const amounts = await readMany(
        client,
        tokens.map(
          (token) =>
            ({
              address: deployment!.escrow,
              abi: earnestEscrowAbi,
              functionName: "credits",
              args: [token as Address, account!],
            }) as const,
        ),
      );
      return tokens.map((token, i) => ({ token: token as Address, amount: amounts[i] })).filter((c) => c.amount > 0n);
    },
    enabled: deployment !== undefined && account !== undefined,
  });
}
