import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Address, Client } from "viem";
import { getSlots, isBookable, slotsBetween, type OfferingInfo } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { dayRange } from "../lib/time-zone";

export function slotsQuery(client: Client, chainId: number, escrow: Address, offeringId: number, starts: number[]) {
  return queryOptions({
    queryKey: ["slots", chainId, escrow, offeringId, starts],
    queryFn: () => getSlots(client, { escrow, offeringId, slotStarts: starts }),
    enabled: starts.length > 0,
    refetchInterval: 15_000, // seats are live: others book the same slots
  });
}

/** The bookable slots of `date` (in `timeZone`) with live seats left. */
export function useDaySlots(
  offering: OfferingInfo | undefined,
  date: string,
  timeZone: string,
  now: number | undefined,
) {
  const { client, chainId, deployment } = useReadChain();
  const starts =
    offering && now !== undefined && date
      ? slotsBetween(offering, ...dayRange(date, timeZone)).filter((s) => isBookable(offering, s, now))
      : [];
  return useQuery(slotsQuery(client, chainId, deployment?.escrow ?? "0x", offering?.id ?? 0, starts));
}
