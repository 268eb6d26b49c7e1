import { describe, expect, it } from "vitest";
import { BookingStatus } from "@earnest/sdk";
import en from "../i18n/locales/en/audit";

// The page translates the verifier's sentences by key (English is the sdk's own text; locales.test.ts keeps Chinese
// in step), and the booking statuses they name.
describe("finding texts", () => {
  it("names every booking status the verifier may put in a sentence", () => {
    expect(Object.keys(en.status).sort()).toEqual(Object.keys(BookingStatus).sort());
  });
});
