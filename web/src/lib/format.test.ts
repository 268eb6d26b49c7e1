import { afterEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { formatVenueDateTime, formatVenueTime, venueDateTimeParts } from "./format";

/** Thursday 10 December 2026, 20:00 in Rome (19:00 UTC): 03:00 on Friday in Shanghai, 14:00 on Thursday in New York. */
const DINNER = Date.UTC(2026, 11, 10, 19, 0) / 1000;
const ROME = "Europe/Rome";

// ICU puts a narrow no-break space before AM/PM; compared as plain spaces.
const plain = (text: string) => text.replace(/\s/g, " ");

describe("formatVenueDateTime: the venue's clock, labelled, the viewer's in brackets where it differs", () => {
  afterEach(() => i18n.changeLanguage("en"));

  it("viewed from the venue's own zone: only the venue's clock", () => {
    expect(plain(formatVenueDateTime(DINNER, ROME, ROME))).toBe("Dec 10, 2026, 8:00 PM Europe/Rome");
    expect(venueDateTimeParts(DINNER, ROME, ROME).yours).toBeUndefined();
  });

  it("viewed from New York: the venue's clock, the viewer's time of day (same date) in brackets", () => {
    expect(plain(formatVenueDateTime(DINNER, ROME, "America/New_York"))).toBe(
      "Dec 10, 2026, 8:00 PM Europe/Rome (2:00 PM your time)",
    );
  });

  it("viewed from Shanghai, across the date line: the viewer's date too", () => {
    expect(plain(formatVenueDateTime(DINNER, ROME, "Asia/Shanghai"))).toBe(
      "Dec 10, 2026, 8:00 PM Europe/Rome (Dec 11, 2026, 3:00 AM your time)",
    );
  });

  it("the venue's part is the same text whoever views it", () => {
    const venue = ["Europe/Rome", "Asia/Shanghai", "America/New_York"].map(
      (viewer) => venueDateTimeParts(DINNER, ROME, viewer).venue,
    );
    expect(new Set(venue).size).toBe(1);
  });

  it("in Chinese, for a Shanghai visitor: the Rome date and time, and theirs on the next day", async () => {
    await i18n.changeLanguage("zh-CN");
    expect(plain(formatVenueDateTime(DINNER, ROME, "Asia/Shanghai"))).toBe(
      "2026年12月10日 20:00（Europe/Rome）（您的时间 2026年12月11日 03:00）",
    );
  });

  it("without a venue zone: the viewer's clock, labelled with the viewer's zone", () => {
    expect(plain(formatVenueDateTime(DINNER, undefined, "Asia/Shanghai"))).toBe("Dec 11, 2026, 3:00 AM Asia/Shanghai");
  });

  it("formatVenueTime: the time of day under a named day, the viewer's date when it is another day", () => {
    expect(plain(formatVenueTime(DINNER, ROME, ROME))).toBe("8:00 PM Europe/Rome");
    expect(plain(formatVenueTime(DINNER, ROME, "America/New_York"))).toBe("8:00 PM Europe/Rome (2:00 PM your time)");
    expect(plain(formatVenueTime(DINNER, ROME, "Asia/Shanghai"))).toBe(
      "8:00 PM Europe/Rome (Dec 11, 2026, 3:00 AM your time)",
    );
  });
});
