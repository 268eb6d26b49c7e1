// An iCalendar (RFC 5545) file for one booking, written by hand: a VEVENT on the venue's clock (DTSTART;TZID=<IANA
// zone>) and the VTIMEZONE that defines that zone around it, so any calendar shows the slot at the venue's time
// whatever zone the phone is in. A few dozen lines instead of a library on the pass's page.
import { offsetAt } from "./time-zone";

export type CalendarEvent = {
  /** Globally unique and stable for the booking, so importing it again updates rather than duplicates. */
  uid: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** The venue's IANA zone. */
  timeZone: string;
  summary: string;
  location?: string;
  description?: string;
  url?: string;
  /** When the file was made (DTSTAMP), Unix seconds. */
  stamp: number;
};

const DAY = 86_400;

/** A text value escaped per RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A content line folded at 75 octets (RFC 5545 §3.1): continuation lines start with one space, and a UTF-8
 *  character is never split. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > 75) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n");
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "20261210T200000": the wall clock `offsetMs` ahead of UTC at `seconds` (a local DATE-TIME, without "Z"). */
function wallClock(seconds: number, offsetMs: number): string {
  const d = new Date(seconds * 1000 + offsetMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  );
}

const utc = (seconds: number) => `${wallClock(seconds, 0)}Z`;

/** "+0100", "-0500", "+0530" (RFC 5545 UTC-OFFSET). */
function utcOffset(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** The instants in [from, to) where `timeZone`'s offset changes: found day by day, then to the second. */
function transitions(timeZone: string, from: number, to: number): number[] {
  const found: number[] = [];
  const offset = (s: number) => offsetAt(s * 1000, timeZone);
  for (let day = from; day < to; day += DAY) {
    let [low, high] = [day, Math.min(day + DAY, to)];
    if (offset(low) === offset(high)) continue;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (offset(mid) === offset(low)) low = mid;
      else high = mid;
    }
    found.push(high);
  }
  return found;
}

/** The VTIMEZONE of `timeZone` for a year before `start` to a day after `end`: one observance for the offset in
 *  force a year before, then one per change (daylight saving) up to the event. Observances with a higher offset
 *  than the lowest seen are DAYLIGHT. */
function vtimezone(timeZone: string, start: number, end: number): string[] {
  const from = start - 366 * DAY;
  const changes = transitions(timeZone, from, end + DAY);
  const offsetMs = (s: number) => offsetAt(s * 1000, timeZone);
  const onsets = [from, ...changes];
  const lowest = Math.min(...onsets.map(offsetMs));
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`, `X-LIC-LOCATION:${timeZone}`];
  for (const onset of onsets) {
    const before = offsetMs(onset - 1);
    const after = offsetMs(onset);
    const kind = after > lowest ? "DAYLIGHT" : "STANDARD";
    lines.push(
      `BEGIN:${kind}`,
      // An observance's DTSTART is the local time of its onset, on the clock in force before it (TZOFFSETFROM).
      `DTSTART:${wallClock(onset, onset === from ? after : before)}`,
      `TZOFFSETFROM:${utcOffset(onset === from ? after : before)}`,
      `TZOFFSETTO:${utcOffset(after)}`,
      `END:${kind}`,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

/** The .ics text of `event`: CRLF line ends, folded lines, text escaped. */
export function calendarFile(event: CalendarEvent): string {
  const zone = event.timeZone;
  const local = (s: number) => wallClock(s, offsetAt(s * 1000, zone));
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Earnest//Booking pass//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    ...vtimezone(zone, event.start, event.end),
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utc(event.stamp)}`,
    `DTSTART;TZID=${zone}:${local(event.start)}`,
    `DTEND;TZID=${zone}:${local(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
