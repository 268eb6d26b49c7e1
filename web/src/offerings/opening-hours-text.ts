// Opening hours in the reader's words: "Mon–Fri 18:00–23:00 · Sat 18:00–02:00 (next day)", with the weekday
// names and clock style of the reader's locale.
import { clockMinutes, type OpeningHours } from "@earnest/sdk";

/** The short name of ISO weekday `day` (1 = Monday) in `locale`. */
export function weekdayName(day: number, locale: string, width: "short" | "long" = "short"): string {
  // 5 January 1970 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" }).format(Date.UTC(1970, 0, 4 + day));
}

/** "HH:MM" as the locale writes a clock time ("6:00 PM", "18:00"). */
export function clockText(clock: string, locale: string): string {
  const minutes = clockMinutes(clock) ?? 0;
  return new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: "UTC" }).format(minutes * 60_000);
}

/** ISO weekdays as runs: [1,2,3,4,5,7] → "Mon–Fri, Sun". */
export function daysText(days: readonly number[], locale: string): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [`${weekdayName(run[0], locale)}–${weekdayName(run.at(-1)!, locale)}`]
        : run.map((day) => weekdayName(day, locale)),
    )
    .join(", ");
}

/** Each period in words; `nextDay` marks a closing time after midnight ("02:00 (next day)"). */
export function openingHoursText(
  openingHours: OpeningHours,
  locale: string,
  nextDay: (time: string) => string,
): string[] {
  return openingHours.map(({ days, opens, closes }) => {
    const closesText = clockText(closes, locale);
    const afterMidnight = (clockMinutes(closes) ?? 0) <= (clockMinutes(opens) ?? 0);
    return `${daysText(days, locale)} ${clockText(opens, locale)}–${afterMidnight ? nextDay(closesText) : closesText}`;
  });
}
