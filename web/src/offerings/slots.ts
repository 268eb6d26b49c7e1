import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Address, Client } from "viem";
import {
  getSlots,
  isBookable,
  slotsBetween,
  withinOpeningHours,
  type OfferingInfo,
  type OpeningHours,
} from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { dayRange } from "../lib/time-zone";

type Grid = Pick<OfferingInfo, "firstSlotStart" | "slotLength" | "minLeadTime" | "maxAdvance">;

export function slotsQuery(client: Client, chainId: number, escrow: Address, offeringId: number, starts: number[]) {
  return queryOptions({
    queryKey: ["slots", chainId, escrow, offeringId, starts],
    queryFn: () => getSlots(client, { escrow, offeringId, slotStarts: starts }),
    enabled: starts.length > 0,
    refetchInterval: 15_000, // seats are live: others book the same slots
  });
}

/** The slot starts a customer is offered on `date` (the venue's calendar in `timeZone`) at `now`: bookable on the
 *  contract's terms and starting inside the venue's opening hours. */
export function offeredSlots(
  offering: Grid,
  openingHours: OpeningHours | undefined,
  date: string,
  timeZone: string,
  now: number,
): number[] {
  return slotsBetween(offering, ...dayRange(date, timeZone)).filter(
    (start) => isBookable(offering, start, now) && withinOpeningHours(openingHours, start, timeZone),
  );
}

/** How many slot starts the first-slot search reads at most: 60 days of 5-minute slots. */
const SEARCH_LIMIT = 20_000;

/** The first slot start a customer is offered at `now`, or undefined when the booking window holds none. */
export function firstOfferedSlot(
  offering: Grid,
  openingHours: OpeningHours | undefined,
  timeZone: string,
  now: number,
): number | undefined {
  const from = now + offering.minLeadTime;
  const to = now + offering.maxAdvance + 1;
  return slotsBetween(offering, from, to, SEARCH_LIMIT).find((start) =>
    withinOpeningHours(openingHours, start, timeZone),
  );
}

/** The slots of `date` (in `timeZone`) a customer is offered, with live seats left. */
export function useDaySlots(
  offering: OfferingInfo | undefined,
  openingHours: OpeningHours | undefined,
  date: string,
  timeZone: string,
  now: number | undefined,
) {
  const { client, chainId, deployment } = useReadChain();
  const starts = offering && now !== undefined && date ? offeredSlots(offering, openingHours, date, timeZone, now) : [];
  return useQuery(slotsQuery(client, chainId, deployment?.escrow ?? "0x", offering?.id ?? 0, starts));
}
