// Numbers, amounts and times as the reader's locale writes them.
import { formatUnits } from "viem";
import i18n from "../i18n";
import type { TokenInfo } from "@earnest/sdk";

// One formatter per language: `toLocaleString` builds a new one on every call, which a list of fifty offerings pays
// for on a phone's main thread.
const integerFormats = new Map<string, Intl.NumberFormat>();

function integerFormat(language: string): Intl.NumberFormat {
  let integers = integerFormats.get(language);
  if (!integers) integerFormats.set(language, (integers = new Intl.NumberFormat(language)));
  return integers;
}

/** Builds ahead the formatter a list of amounts needs. The first number formatter a page builds loads the
 *  runtime's number data (some 50 ms on a phone): better spent while the page waits on the network than in the
 *  task that renders the list once it arrives. */
export function prepareAmountFormat(): void {
  integerFormat(i18n.language);
}

/** "0.01 ETH", "40 mUSD": every digit the token has, trailing zeros dropped. */
export function formatAmount(value: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): string {
  const [whole, fraction = ""] = formatUnits(value, token.decimals).split(".");
  const grouped = integerFormat(i18n.language).format(BigInt(whole));
  return `${fraction ? `${grouped}.${fraction}` : grouped} ${token.symbol}`;
}

/** A Unix time as date and time, in `timeZone` when given (the venue's), else the viewer's. */
export function formatDateTime(seconds: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(i18n.language, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(new Date(seconds * 1000));
}

export function formatTime(seconds: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(i18n.language, { timeStyle: "short", timeZone }).format(new Date(seconds * 1000));
}

/** The time on the venue's clock and, where it differs, the viewer's: the parts of `formatVenueDateTime`. `venue`
 *  is the venue's date and time labelled with its zone; `yours` is the viewer's time of day, with its date when the
 *  viewer's calendar is on another day (across a date line), and undefined when both clocks read the same. */
export function venueDateTimeParts(
  seconds: number,
  venueZone: string | undefined,
  viewerZone: string = localTimeZone(),
): { venue: string; yours: string | undefined } {
  const zone = venueZone ?? viewerZone;
  const venue = i18n.t("time.inZone", { time: formatDateTime(seconds, zone), zone });
  if (formatDateTime(seconds, zone) === formatDateTime(seconds, viewerZone)) return { venue, yours: undefined };
  const sameDay = formatDate(seconds, zone) === formatDate(seconds, viewerZone);
  return { venue, yours: sameDay ? formatTime(seconds, viewerZone) : formatDateTime(seconds, viewerZone) };
}

/** THE rule for showing a moment to anyone (SPEC §4): the venue's clock, labelled with the venue's zone, with the
 *  viewer's own in brackets where it differs, in the reader's language:
 *  "12 May 2030, 19:00 Europe/Rome (18:00 your time)", "12 May 2030, 19:00 Europe/Rome (13 May 2030, 01:00 your
 *  time)" across a date line, "2030年5月12日 19:00（Europe/Rome）（您的时间 5月13日 01:00）". Without a venue zone, the
 *  viewer's clock, labelled with its zone. `viewerZone` is the browser's unless given (tests, previews). */
export function formatVenueDateTime(
  seconds: number,
  venueZone: string | undefined,
  viewerZone: string = localTimeZone(),
): string {
  const { venue, yours } = venueDateTimeParts(seconds, venueZone, viewerZone);
  return yours === undefined ? venue : i18n.t("time.yours", { inZone: venue, time: yours });
}

function formatDate(seconds: number, timeZone: string): string {
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone }).format(new Date(seconds * 1000));
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

let viewerZone: string | undefined;

/** The viewer's own time zone. Asked for when first needed, not when the module loads: the first date formatter
 *  loads the browser's time-zone data, which the offerings list does not need. */
export function localTimeZone(): string {
  return (viewerZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** `formatVenueDateTime` for lists under a day already named (the front desk, the day view): the venue's time of
 *  day, labelled with its zone, "19:00 Europe/Rome (18:00 your time)"; the viewer's own with its date where their
 *  calendar is on another day. */
export function formatVenueTime(seconds: number, venueZone: string | undefined, viewerZone = localTimeZone()): string {
  const zone = venueZone ?? viewerZone;
  const inZone = i18n.t("time.inZone", { time: formatTime(seconds, zone), zone });
  const { yours } = venueDateTimeParts(seconds, venueZone, viewerZone);
  return yours === undefined ? inZone : i18n.t("time.yours", { inZone, time: yours });
}
