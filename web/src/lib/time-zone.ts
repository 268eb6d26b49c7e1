// Calendar days in a venue's time zone, with nothing but Intl: slots are listed per day as the venue counts days.

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one, and a VTIMEZONE (ics.ts)
 *  asks for hundreds of offsets. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms`, in ms. */
export function offsetAt(ms: number, timeZone: string): number {
  let clock = wallClocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    wallClocks.set(timeZone, clock);
  }
  const parts = Object.fromEntries(clock.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** Unix seconds of midnight starting `date` ("YYYY-MM-DD") in `timeZone`. */
export function startOfDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const wallMidnight = Date.UTC(y, m - 1, d);
  // Two passes settle the offset on days when it changes (daylight saving).
  let instant = wallMidnight - offsetAt(wallMidnight, timeZone);
  instant = wallMidnight - offsetAt(instant, timeZone);
  return instant / 1000;
}

/** The date ("YYYY-MM-DD") that `seconds` falls on in `timeZone`. */
export function dateIn(seconds: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(seconds * 1000),
  );
}

export function nextDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** [start, end) of `date` in `timeZone`, in Unix seconds. */
export function dayRange(date: string, timeZone: string): [number, number] {
  return [startOfDay(date, timeZone), startOfDay(nextDate(date), timeZone)];
}

/** The one zone all of `zones` share (an unset zone counts as `fallback`), else `fallback`: a merchant's day is
 *  counted in the venue's calendar unless its offerings span zones. */
export function sharedZone(zones: Iterable<string | undefined>, fallback: string): string {
  const distinct = new Set([...zones].map((zone) => zone ?? fallback));
  return distinct.size === 1 ? [...distinct][0] : fallback;
}

/** Every IANA zone this browser knows (`Intl.supportedValuesOf`), with "UTC", which it lists under no region. */
export function timeZoneNames(): readonly string[] {
  zoneNames ??= [...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC"), "UTC"];
  return zoneNames;
}
let zoneNames: string[] | undefined;

/** The listed zone that `zone` names (spelled as the list spells it, or by an alias the browser resolves to it), or
 *  undefined: free text, an offset ("+05:00") or an abbreviation ("EST") is not a venue's zone. */
export function knownTimeZone(zone: string): string | undefined {
  const names = timeZoneNames();
  const typed = zone.trim();
  const exact = names.find((name) => name.toLowerCase() === typed.toLowerCase());
  if (exact) return exact;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: typed }).resolvedOptions().timeZone;
    return typed.includes("/") && names.includes(resolved) ? typed : undefined;
  } catch {
    return undefined;
  }
}

/** How `timeZone`'s clock is written against UTC at `seconds`: "UTC+05:30", "UTC−03:00", "UTC". */
export function utcOffsetText(timeZone: string, seconds: number): string {
  const minutes = Math.round(offsetAt(seconds * 1000, timeZone) / 60_000);
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "−";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
