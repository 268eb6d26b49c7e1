// What a venue's wall clock shows at an instant, read with Intl: analytics count by it and opening hours are in it.

/** The venue's calendar date, weekday (0 = Monday … 6 = Sunday), hour and minute at an instant. */
export type WallClock = { year: number; month: number; day: number; weekday: number; hour: number; minute: number };

/** Weekday names as Intl writes them in English, Monday first. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Formatters are costly to build and a ledger may hold thousands of bookings: one per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` (IANA) at `seconds` (Unix). */
export function wallClock(seconds: number, timeZone: string): WallClock {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(seconds * 1000)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}
