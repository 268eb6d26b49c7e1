import { act } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import i18n, { translate } from ".";

describe("plurals", () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("picks the form Intl.PluralRules gives for the count", async () => {
    await act(() => i18n.changeLanguage("en"));
    expect(translate("customer", "bookings.seats", { count: 1 })).toBe("1 seat");
    expect(translate("customer", "bookings.seats", { count: 0 })).toBe("0 seats");
    expect(translate("customer", "bookings.seats", { count: 3 })).toBe("3 seats");
  });

  it("uses the one form Chinese has", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(translate("customer", "bookings.seats", { count: 1 })).toBe("1 个座位");
    expect(translate("customer", "bookings.seats", { count: 3 })).toBe("3 个座位");
  });

  it("leaves a message without plural forms alone", async () => {
    await act(() => i18n.changeLanguage("en"));
    expect(translate("customer", "offering.seatsLeft", { count: 1 })).toBe("Seats left: 1");
  });
});
