import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { summarizeRatings } from "@earnest/sdk";
import i18n, { loadNamespaces, translate } from "../i18n";
import { ratingSummaryText } from "./rating-text";
import { RatingSummary } from "./RatingSummary";

const t = ((key: string, values?: Record<string, string | number>) => translate("reviews", key, values)) as Parameters<
  typeof ratingSummaryText
>[1];
const ratings = (...values: number[]) => values.map((rating) => ({ rating }));

describe("rating summary", () => {
  beforeAll(() => loadNamespaces("reviews"));
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("writes the average with one decimal and the count with the plural Intl picks", () => {
    expect(ratingSummaryText(summarizeRatings(ratings(5, 4)), t, "en")?.shown).toBe("4.5 ★ · 2 reviews");
    expect(ratingSummaryText(summarizeRatings(ratings(5)), t, "en")?.shown).toBe("5.0 ★ · 1 review");
    // 4.25 rounds as Intl rounds: half away from zero.
    expect(ratingSummaryText(summarizeRatings(ratings(5, 4, 4, 4)), t, "en")).toEqual({
      shown: "4.3 ★ · 4 reviews",
      spoken: "Rated 4.3 out of 5 by 4 guests",
    });
    expect(ratingSummaryText(summarizeRatings([]), t, "en")).toBeUndefined();
  });

  it("shows the summary of the reviews it is given, and nothing without any", async () => {
    const { rerender } = render(<RatingSummary reviews={ratings(3, 4, 5, 5, 5, 2, 4, 4, 5, 5, 4, 4)} />);
    const summary = screen.getByTestId("rating-summary");
    expect(summary.querySelector('[aria-hidden="true"]')?.textContent).toBe("4.2 ★ · 12 reviews");
    expect(summary.querySelector(".visually-hidden")?.textContent).toBe("Rated 4.2 out of 5 by 12 guests");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(screen.getByTestId("rating-summary").querySelector('[aria-hidden="true"]')?.textContent).toBe(
      "4.2 ★ · 12 条评价",
    );
    rerender(<RatingSummary reviews={[]} />);
    expect(screen.queryByTestId("rating-summary")).toBeNull();
  });
});
