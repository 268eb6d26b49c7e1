import { describe, expect, it } from "vitest";
import type { OpeningHours } from "@earnest/sdk";
import { firstOfferedSlot, offeredSlots } from "./slots";

const HOUR = 3_600;
const DAY = 24 * HOUR;
const ROME = "Europe/Rome";
/** Unix seconds of an ISO instant. */
const at = (iso: string) => Date.parse(iso) / 1000;
/** The venue clock's "HH:MM" of each start. */
const clocks = (starts: number[], timeZone = ROME) =>
  starts.map((s) =>
    new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(s * 1000)),
  );

/** A dinner offering with 2 h slots around the clock from Thursday 1 January 2026, 00:00 in Rome. */
const dinner = {
  firstSlotStart: at("2026-01-01T00:00:00+01:00"),
  slotLength: 2 * HOUR,
  minLeadTime: HOUR,
  maxAdvance: 60 * DAY,
};
const evenings: OpeningHours = [{ days: [1, 2, 3, 4, 5, 6, 7], opens: "18:00", closes: "23:00" }];

describe("the slots customers are offered", () => {
  const now = at("2026-01-10T08:00:00+01:00"); // Saturday morning in Rome

  it("offers every bookable slot of the day when the venue has no hours", () => {
    expect(clocks(offeredSlots(dinner, undefined, "2026-01-12", ROME, now))).toEqual([
      "00:00",
      "02:00",
      "04:00",
      "06:00",
      "08:00",
      "10:00",
      "12:00",
      "14:00",
      "16:00",
      "18:00",
      "20:00",
      "22:00",
    ]);
  });

  it("offers only the slots that start inside the opening hours: no 4:00 AM dinner", () => {
    expect(clocks(offeredSlots(dinner, evenings, "2026-01-12", ROME, now))).toEqual(["18:00", "20:00", "22:00"]);
  });

  it("still drops slots the contract would refuse, inside the hours or not", () => {
    const lateNow = at("2026-01-12T19:30:00+01:00"); // the 20:00 slot is within the hour of lead time
    expect(clocks(offeredSlots(dinner, evenings, "2026-01-12", ROME, lateNow))).toEqual(["22:00"]);
  });

  it("keeps the venue's hours on its own clock across the change to summer time", () => {
    // Sunday 29 March 2026: Rome moves to UTC+2; the grid (fixed in UTC) now starts on odd venue hours.
    const march = at("2026-03-20T08:00:00+01:00");
    expect(clocks(offeredSlots(dinner, evenings, "2026-03-28", ROME, march))).toEqual(["18:00", "20:00", "22:00"]);
    expect(clocks(offeredSlots(dinner, evenings, "2026-03-29", ROME, march))).toEqual(["19:00", "21:00"]);
  });

  it("offers the early hours of the next day for a period that closes after midnight", () => {
    const bar: OpeningHours = [{ days: [5, 6], opens: "20:00", closes: "02:00" }]; // Friday and Saturday nights
    // Saturday 17 January: Friday night's 00:00, then Saturday evening from 20:00.
    expect(clocks(offeredSlots(dinner, bar, "2026-01-17", ROME, now))).toEqual(["00:00", "20:00", "22:00"]);
    // Monday 19 January: Sunday is closed, so nothing after midnight either.
    expect(offeredSlots(dinner, bar, "2026-01-19", ROME, now)).toEqual([]);
  });

  it("opens the page on the first slot inside the hours, not the first slot of the grid", () => {
    const saturdayNight = at("2026-01-10T23:30:00+01:00");
    const first = firstOfferedSlot(dinner, evenings, ROME, saturdayNight);
    expect(first).toBe(at("2026-01-11T18:00:00+01:00"));
    expect(firstOfferedSlot(dinner, undefined, ROME, saturdayNight)).toBe(at("2026-01-11T02:00:00+01:00"));
  });

  it("finds a slot days ahead when the venue opens once a week, and none when the window holds no opening", () => {
    const sundays: OpeningHours = [{ days: [7], opens: "12:00", closes: "13:00" }];
    expect(firstOfferedSlot(dinner, sundays, ROME, now)).toBe(at("2026-01-11T12:00:00+01:00"));
    expect(firstOfferedSlot({ ...dinner, maxAdvance: 12 * HOUR }, sundays, ROME, now)).toBeUndefined();
  });
});
