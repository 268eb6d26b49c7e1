import { describe, expect, it } from "vitest";
import { findingTexts } from "../../../sdk/audit/index.js";
import { BookingStatus } from "../../../sdk/generated/enums.js";
import en from "../i18n/locales/en/audit";

// The page translates the verifier's sentences by key; locales.test.ts keeps Chinese in step with English.
describe("finding texts", () => {
  it("has an English entry for every sentence the verifier writes, and no other", () => {
    expect(Object.keys(en.findingText).sort()).toEqual(Object.keys(findingTexts).sort());
  });

  it("says in English exactly what the report says", () => {
    expect(en.findingText).toEqual(findingTexts);
  });

  it("names every booking status the verifier may put in a sentence", () => {
    expect(Object.keys(en.status).sort()).toEqual(Object.keys(BookingStatus).sort());
  });
});
