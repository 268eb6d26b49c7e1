// Reading an offering as a person sees it: its metadata (name, description, the venue's time zone and opening
// hours) and its slot grid, with the booking window the contract enforces.
import type { ContractFunctionReturnType } from "viem";
import type { earnestEscrowAbi } from "./generated/abis.js";
import { parseLoyaltyRule, type LoyaltyRule } from "./loyalty.js";
import { parseOpeningHours, type OpeningHours } from "./opening-hours.js";

/** An offering as `getOffering` returns it (typed from the generated ABI), with its id. */
export type OfferingInfo = ContractFunctionReturnType<typeof earnestEscrowAbi, "view", "getOffering"> & { id: number };

export type OfferingMetadata = {
  name: string;
  description?: string;
  /** The venue's IANA time zone, e.g. "Europe/Rome". */
  timeZone?: string;
  /** Opening hours in the merchant's own words (older offerings; shown, never used to filter slots). */
  hours?: string;
  /** Opening hours as data: only slots starting inside them are offered (`withinOpeningHours`). */
  openingHours?: OpeningHours;
  /** The merchant's relayer (an http(s) URL), which submits customers' signed bookings and pays their gas. */
  relayer?: string;
  /** The offering's loyalty rule (loyalty.ts): a coupon after every `visits` fulfilled visits. */
  loyalty?: LoyaltyRule;
};

/** Zones already judged. The first `Intl.DateTimeFormat` a page builds loads the runtime's date data (some 90 ms
 *  on a phone), a page listing offerings otherwise builds none, and the list of canonical zones costs about a
 *  millisecond: an alias it leaves out (`UTC`, `Asia/Kolkata`) is judged by a formatter. */
let knownZones: Map<string, boolean> | undefined;

function validTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string") return false;
  knownZones ??= new Map(Intl.supportedValuesOf("timeZone").map((z) => [z, true]));
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    knownZones.set(zone, valid);
  }
  return valid;
}

/** An http(s) URL, or undefined: a relayer at any other scheme (javascript:, file:) is never called. */
function relayerUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Metadata is JSON by convention; anything else is shown as the name, and a bad time zone, relayer URL, opening
 *  hours or loyalty rule are dropped. */
export function parseMetadata(metadata: string): OfferingMetadata {
  try {
    const raw = JSON.parse(metadata) as Record<string, unknown>;
    if (raw && typeof raw === "object" && typeof raw.name === "string") {
      const openingHours = parseOpeningHours(raw.openingHours);
      const loyalty = parseLoyaltyRule(raw.loyalty);
      return {
        name: raw.name,
        description: typeof raw.description === "string" ? raw.description : undefined,
        timeZone: validTimeZone(raw.timeZone) ? raw.timeZone : undefined,
        hours: typeof raw.hours === "string" ? raw.hours : undefined,
        relayer: relayerUrl(raw.relayer),
        ...(openingHours && { openingHours }),
        ...(loyalty && { loyalty }),
      };
    }
  } catch {
    // plain text
  }
  return { name: metadata.trim() };
}

type Grid = Pick<OfferingInfo, "firstSlotStart" | "slotLength" | "minLeadTime" | "maxAdvance">;

/** The slot starts on the grid within [from, to). */
export function slotsBetween(offering: Grid, from: number, to: number, limit = 200): number[] {
  const { firstSlotStart, slotLength } = offering;
  const first =
    from <= firstSlotStart
      ? firstSlotStart
      : firstSlotStart + Math.ceil((from - firstSlotStart) / slotLength) * slotLength;
  const slots: number[] = [];
  for (let start = first; start < to && slots.length < limit; start += slotLength) slots.push(start);
  return slots;
}

/** Whether `book` accepts this slot start at `now`: on the grid and inside the lead/advance window. */
export function isBookable(offering: Grid, slotStart: number, now: number): boolean {
  if (slotStart < offering.firstSlotStart || (slotStart - offering.firstSlotStart) % offering.slotLength !== 0) {
    return false;
  }
  return slotStart >= now + offering.minLeadTime && slotStart <= now + offering.maxAdvance;
}
