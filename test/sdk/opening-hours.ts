// Opening hours as an offering's metadata carries them, and which slot starts they let customers book: read on the
// venue's wall clock, across midnight and across the days daylight saving begins and ends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMetadata, parseOpeningHours, withinOpeningHours, type OpeningHours } from "@earnest/sdk";

const ROME = "Europe/Rome";
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** Unix seconds of an ISO instant. */
const at = (iso: string) => Date.parse(iso) / 1000;

describe("opening hours", () => {
  const dinner: OpeningHours = [{ days: EVERY_DAY, opens: "18:00", closes: "23:00" }];

  it("offers a slot from the opening minute until, not including, the closing one", () => {
    // 14 January 2026, Rome on CET (UTC+1).
    assert.equal(withinOpeningHours(dinner, at("2026-01-14T16:59:00Z"), ROME), false); // 17:59
    assert.equal(withinOpeningHours(dinner, at("2026-01-14T17:00:00Z"), ROME), true); // 18:00
    assert.equal(withinOpeningHours(dinner, at("2026-01-14T21:59:00Z"), ROME), true); // 22:59
    assert.equal(withinOpeningHours(dinner, at("2026-01-14T22:00:00Z"), ROME), false); // 23:00
    assert.equal(withinOpeningHours(dinner, at("2026-01-14T03:00:00Z"), ROME), false); // 04:00: no breakfast dinner
  });

  it("reads the weekday on the venue's clock, not UTC's", () => {
    const mondays: OpeningHours = [{ days: [1], opens: "18:00", closes: "23:00" }];
    // Monday 19 January 2026, 20:00 in New York is Tuesday 01:00 UTC.
    assert.equal(withinOpeningHours(mondays, at("2026-01-20T01:00:00Z"), "America/New_York"), true);
    assert.equal(withinOpeningHours(mondays, at("2026-01-20T01:00:00Z"), "UTC"), false);
  });

  it("covers the early hours of the next day when a period closes after midnight", () => {
    const weekend: OpeningHours = [{ days: [5, 6], opens: "18:00", closes: "02:00" }]; // Friday and Saturday nights
    // 16 January 2026 is a Friday.
    assert.equal(withinOpeningHours(weekend, at("2026-01-16T23:30:00Z"), ROME), true); // Sat 00:30, Friday's night
    assert.equal(withinOpeningHours(weekend, at("2026-01-17T00:59:00Z"), ROME), true); // Sat 01:59
    assert.equal(withinOpeningHours(weekend, at("2026-01-17T01:00:00Z"), ROME), false); // Sat 02:00
    assert.equal(withinOpeningHours(weekend, at("2026-01-17T17:00:00Z"), ROME), true); // Sat 18:00
    assert.equal(withinOpeningHours(weekend, at("2026-01-18T00:30:00Z"), ROME), true); // Sun 01:30, Saturday's night
    assert.equal(withinOpeningHours(weekend, at("2026-01-18T17:00:00Z"), ROME), false); // Sun 18:00
    assert.equal(withinOpeningHours(weekend, at("2026-01-19T00:30:00Z"), ROME), false); // Mon 01:30, Sunday closed
    assert.equal(withinOpeningHours(weekend, at("2026-01-16T00:30:00Z"), ROME), false); // Fri 01:30, Thursday closed
  });

  it("opens Sunday's early hours after Saturday when the week wraps", () => {
    const sundayNight: OpeningHours = [{ days: [7], opens: "22:00", closes: "03:00" }];
    // Sunday 18 January 2026 22:30, then Monday 19 January 02:30 (Rome).
    assert.equal(withinOpeningHours(sundayNight, at("2026-01-18T21:30:00Z"), ROME), true);
    assert.equal(withinOpeningHours(sundayNight, at("2026-01-19T01:30:00Z"), ROME), true);
    assert.equal(withinOpeningHours(sundayNight, at("2026-01-18T01:30:00Z"), ROME), false); // Sunday 02:30
  });

  it("keeps the venue's local hours on the day daylight saving begins", () => {
    // Sunday 29 March 2026: Rome's clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC.
    assert.equal(withinOpeningHours(dinner, at("2026-03-28T17:00:00Z"), ROME), true); // Sat 18:00 CET
    assert.equal(withinOpeningHours(dinner, at("2026-03-28T16:00:00Z"), ROME), false); // Sat 17:00 CET
    assert.equal(withinOpeningHours(dinner, at("2026-03-29T16:00:00Z"), ROME), true); // Sun 18:00 CEST
    assert.equal(withinOpeningHours(dinner, at("2026-03-29T21:00:00Z"), ROME), false); // Sun 23:00 CEST
    const night: OpeningHours = [{ days: [6], opens: "22:00", closes: "03:00" }];
    assert.equal(withinOpeningHours(night, at("2026-03-29T00:30:00Z"), ROME), true); // 01:30 CET
    assert.equal(withinOpeningHours(night, at("2026-03-29T00:59:00Z"), ROME), true); // 01:59 CET
    assert.equal(withinOpeningHours(night, at("2026-03-29T01:00:00Z"), ROME), false); // 03:00 CEST: closed
  });

  it("offers both 02:30s on the day daylight saving ends", () => {
    // Sunday 25 October 2026: Rome's clocks go back from 03:00 CEST to 02:00 CET at 01:00 UTC.
    const late: OpeningHours = [{ days: [7], opens: "02:00", closes: "03:00" }];
    assert.equal(withinOpeningHours(late, at("2026-10-25T00:30:00Z"), ROME), true); // 02:30 CEST
    assert.equal(withinOpeningHours(late, at("2026-10-25T01:30:00Z"), ROME), true); // 02:30 CET
    assert.equal(withinOpeningHours(late, at("2026-10-25T02:00:00Z"), ROME), false); // 03:00 CET
    assert.equal(withinOpeningHours(dinner, at("2026-10-25T17:00:00Z"), ROME), true); // 18:00 CET
    assert.equal(withinOpeningHours(dinner, at("2026-10-24T16:00:00Z"), ROME), true); // Sat 18:00 CEST
    assert.equal(withinOpeningHours(dinner, at("2026-10-25T16:00:00Z"), ROME), false); // Sun 17:00 CET
  });

  it("opens in any of several periods, per day", () => {
    const trattoria: OpeningHours = [
      { days: [1, 2, 3, 4, 5, 6], opens: "12:00", closes: "14:30" },
      { days: [1, 2, 3, 4, 5, 6], opens: "19:00", closes: "23:00" },
      { days: [7], opens: "12:00", closes: "15:00" },
    ];
    // Wednesday 14 and Sunday 18 January 2026 (CET).
    assert.equal(withinOpeningHours(trattoria, at("2026-01-14T12:00:00Z"), ROME), true); // 13:00
    assert.equal(withinOpeningHours(trattoria, at("2026-01-14T14:00:00Z"), ROME), false); // 15:00, between
    assert.equal(withinOpeningHours(trattoria, at("2026-01-14T19:00:00Z"), ROME), true); // 20:00
    assert.equal(withinOpeningHours(trattoria, at("2026-01-18T13:30:00Z"), ROME), true); // Sun 14:30
    assert.equal(withinOpeningHours(trattoria, at("2026-01-18T19:00:00Z"), ROME), false); // Sun 20:00
  });

  it("is always open without hours", () => {
    assert.equal(withinOpeningHours(undefined, at("2026-01-14T03:00:00Z"), ROME), true);
    assert.equal(withinOpeningHours([], at("2026-01-14T03:00:00Z"), ROME), true);
  });

  it("reads well-formed hours, including closing after midnight", () => {
    const hours = [
      { days: [5, 6], opens: "18:00", closes: "02:00" },
      { days: [7], opens: "00:00", closes: "23:59" },
    ];
    assert.deepEqual(parseOpeningHours(hours), hours);
  });

  it("drops malformed hours whole", () => {
    const good = { days: [1], opens: "18:00", closes: "23:00" };
    for (const bad of [
      "Mon–Fri 18–23",
      {},
      [],
      null,
      [null],
      [good, { days: [1], opens: "18:00" }],
      [{ ...good, days: [] }],
      [{ ...good, days: [0] }],
      [{ ...good, days: [8] }],
      [{ ...good, days: [1.5] }],
      [{ ...good, days: ["1"] }],
      [{ ...good, days: [2, 2] }],
      [{ ...good, days: "1" }],
      [{ ...good, opens: "24:00" }],
      [{ ...good, opens: "7:00" }],
      [{ ...good, closes: "18:60" }],
      [{ ...good, closes: 23 }],
      [{ ...good, closes: "18:00" }], // opens and closes at once
    ]) {
      assert.equal(parseOpeningHours(bad), undefined, JSON.stringify(bad));
    }
  });

  it("comes from the metadata, where malformed hours are dropped and the rest is kept", () => {
    const openingHours = [{ days: [1, 2], opens: "18:00", closes: "23:00" }];
    assert.deepEqual(
      parseMetadata(JSON.stringify({ name: "Dinner", timeZone: ROME, hours: "Evenings", openingHours })).openingHours,
      openingHours,
    );
    const dropped = parseMetadata(
      JSON.stringify({ name: "Dinner", timeZone: ROME, hours: "Evenings", openingHours: [{ days: [9] }] }),
    );
    assert.deepEqual(dropped, {
      name: "Dinner",
      description: undefined,
      timeZone: ROME,
      hours: "Evenings",
      relayer: undefined,
    });
  });
});
