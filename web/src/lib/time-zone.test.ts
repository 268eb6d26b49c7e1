import { describe, expect, it } from "vitest";
import { dateIn, dayRange, knownTimeZone, sharedZone, startOfDay, timeZoneNames, utcOffsetText } from "./time-zone";

describe("time zones", () => {
  it("finds midnight in a zone ahead of and behind UTC", () => {
    expect(startOfDay("2026-11-23", "Asia/Tokyo")).toBe(Date.UTC(2026, 10, 22, 15) / 1000);
    expect(startOfDay("2026-11-23", "America/New_York")).toBe(Date.UTC(2026, 10, 23, 5) / 1000);
    expect(startOfDay("2026-11-23", "UTC")).toBe(Date.UTC(2026, 10, 23) / 1000);
  });

  it("has a 23-hour day when daylight saving starts", () => {
    const [start, end] = dayRange("2026-03-29", "Europe/Rome");
    expect(end - start).toBe(23 * 3600);
  });

  it("names the date an instant falls on in a zone", () => {
    const instant = Date.UTC(2026, 10, 23, 20) / 1000; // 20:00 UTC
    expect(dateIn(instant, "Asia/Tokyo")).toBe("2026-11-24");
    expect(dateIn(instant, "America/New_York")).toBe("2026-11-23");
  });

  it("counts a merchant's day in the venue's zone unless the offerings span zones", () => {
    expect(sharedZone(["Europe/Paris", "Europe/Paris"], "UTC")).toBe("Europe/Paris");
    expect(sharedZone(["Europe/Paris", "Asia/Tokyo"], "UTC")).toBe("UTC");
    expect(sharedZone(["Europe/Paris", undefined], "UTC")).toBe("UTC");
    expect(sharedZone([undefined], "Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(sharedZone([], "UTC")).toBe("UTC");
  });

  it("lists every zone the browser knows, with UTC", () => {
    const names = timeZoneNames();
    expect(names).toContain("Europe/Rome");
    expect(names).toContain("UTC");
    expect(new Set(names).size).toBe(names.length);
  });

  it("accepts a listed zone in any case, and an alias of one, but no abbreviation, offset or free text", () => {
    expect(knownTimeZone("Europe/Rome")).toBe("Europe/Rome");
    expect(knownTimeZone(" europe/rome ")).toBe("Europe/Rome");
    expect(knownTimeZone("utc")).toBe("UTC");
    expect(knownTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata"); // listed as Asia/Calcutta by V8
    for (const text of ["", "EST", "+05:00", "UTC+2", "Rome", "Mars/Olympus"])
      expect(knownTimeZone(text)).toBeUndefined();
  });

  it("writes a zone's offset from UTC at an instant", () => {
    expect(utcOffsetText("Europe/Rome", Date.UTC(2026, 0, 15) / 1000)).toBe("UTC+01:00");
    expect(utcOffsetText("Europe/Rome", Date.UTC(2026, 6, 15) / 1000)).toBe("UTC+02:00");
    expect(utcOffsetText("Asia/Kolkata", Date.UTC(2026, 0, 15) / 1000)).toBe("UTC+05:30");
    expect(utcOffsetText("America/New_York", Date.UTC(2026, 0, 15) / 1000)).toBe("UTC−05:00");
    expect(utcOffsetText("UTC", Date.UTC(2026, 0, 15) / 1000)).toBe("UTC");
  });
});
