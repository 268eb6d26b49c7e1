// Numbers, amounts and times as the reader's locale writes them.
import { formatUnits } from "viem";
import i18n from "../i18n";
import type { TokenInfo } from "@earnest/sdk";

/** "0.01 ETH", "40 mUSD": every digit the token has, trailing zeros dropped. */
export function formatAmount(value: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): string {
  const [whole, fraction = ""] = formatUnits(value, token.decimals).split(".");
  const grouped = BigInt(whole).toLocaleString(i18n.language);
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

/** A time as the venue's clock shows it, labelled with the venue's zone, with the viewer's own in brackets where it
 *  differs (SPEC §4): "12 May 2030, 19:00 Europe/Rome (18:00 your time)". Without a venue zone, the viewer's
 *  clock, labelled with its zone. */
export function formatVenueDateTime(seconds: number, venueZone: string | undefined): string {
  const zone = venueZone ?? localTimeZone;
  const inZone = i18n.t("time.inZone", { time: formatDateTime(seconds, zone), zone });
  const sameClock = formatDateTime(seconds, zone) === formatDateTime(seconds, localTimeZone);
  return sameClock ? inZone : i18n.t("time.yours", { inZone, time: formatDateTime(seconds, localTimeZone) });
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** The viewer's own time zone. */
export const localTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `formatVenueDateTime` for lists under a day already named (the front desk, the day view): the venue's time of
 *  day, labelled with its zone, "19:00 Europe/Rome (18:00 your time)"; the viewer's own with its date where their
 *  calendar is on another day. */
export function formatVenueTime(seconds: number, venueZone: string | undefined): string {
  const zone = venueZone ?? localTimeZone;
  const inZone = i18n.t("time.inZone", { time: formatTime(seconds, zone), zone });
  if (formatDateTime(seconds, zone) === formatDateTime(seconds, localTimeZone)) return inZone;
  const dayIn = (timeZone: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone }).format(new Date(seconds * 1000));
  const sameDay = dayIn(zone) === dayIn(localTimeZone);
  const yours = sameDay ? formatTime(seconds, localTimeZone) : formatDateTime(seconds, localTimeZone);
  return i18n.t("time.yours", { inZone, time: yours });
}
