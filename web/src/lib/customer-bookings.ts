// A customer's bookings, rebuilt from the escrow's history (a log read and the event fold): kept apart from
// lib/chain.ts so the offerings page, which every visit loads first, does not carry the fold.
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { getCustomerBookings } from "@earnest/sdk";
import { useReadChain } from "./chain";

export function useCustomerBookings(customer: Address | undefined) {
  const { client, chainId, deployment } = useReadChain();
  return useQuery({
    queryKey: ["customerBookings", chainId, deployment?.escrow, customer],
    queryFn: () =>
      getCustomerBookings(client, {
        escrow: deployment!.escrow,
        customer: customer!,
        fromBlock: deployment!.deployBlock,
      }),
    enabled: deployment !== undefined && customer !== undefined,
  });
}
