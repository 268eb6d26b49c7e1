// A venue's opening hours, as an offering's metadata carries them: periods of the venue's wall clock on ISO
// weekdays. A slot is offered when it starts inside a period; the contract knows nothing of hours, so this is what
// the dApp offers, not what `book` enforces.
import { wallClock } from "./wall-clock.js";

/** One opening period: on each of `days` (ISO weekdays, 1 = Monday … 7 = Sunday) from `opens` until `closes`
 *  ("HH:MM", the venue's wall clock). A `closes` at or before `opens` is on the next day ("18:00"–"02:00"). */
export type OpeningPeriod = { days: number[]; opens: string; closes: string };
export type OpeningHours = OpeningPeriod[];

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of an "HH:MM" clock time, or undefined when it is not one. */
export function clockMinutes(clock: string): number | undefined {
  const match = CLOCK.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

function validPeriod(value: unknown): value is OpeningPeriod {
  if (!value || typeof value !== "object") return false;
  const { days, opens, closes } = value as Record<string, unknown>;
  if (typeof opens !== "string" || typeof closes !== "string") return false;
  const from = clockMinutes(opens);
  const to = clockMinutes(closes);
  return (
    from !== undefined &&
    to !== undefined &&
    // Opening and closing at the same minute says nothing: a venue open around the clock has no hours.
    from !== to &&
    Array.isArray(days) &&
    days.length > 0 &&
    days.every((day) => Number.isInteger(day) && day >= 1 && day <= 7) &&
    new Set(days).size === days.length
  );
}

/** The opening hours in `value`, or undefined when it is not a non-empty list of valid periods: a schedule with one
 *  bad period is dropped whole, since half of it could close the venue when it is open. */
export function parseOpeningHours(value: unknown): OpeningHours | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(validPeriod)) return undefined;
  return value.map(({ days, opens, closes }) => ({ days: [...days], opens, closes }));
}

/** Whether a slot starting at `slotStart` (Unix seconds) starts inside the opening hours, read on the venue's wall
 *  clock in `timeZone` (so a period means the same local times on the days daylight saving begins or ends). No
 *  hours means always open. A period closing after midnight covers the early hours of the day after each of its
 *  days. */
export function withinOpeningHours(
  openingHours: OpeningHours | undefined,
  slotStart: number,
  timeZone: string,
): boolean {
  if (!openingHours || openingHours.length === 0) return true;
  const wall = wallClock(slotStart, timeZone);
  const weekday = wall.weekday + 1;
  const minute = wall.hour * 60 + wall.minute;
  const dayBefore = weekday === 1 ? 7 : weekday - 1;
  return openingHours.some(({ days, opens, closes }) => {
    const from = clockMinutes(opens);
    const to = clockMinutes(closes);
    if (from === undefined || to === undefined) return false;
    if (from < to) return days.includes(weekday) && minute >= from && minute < to;
    return (days.includes(weekday) && minute >= from) || (days.includes(dayBefore) && minute < to);
  });
}
