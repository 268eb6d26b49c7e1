// A rating as the reviews views write it: "4.5 ★ · 12 reviews", with a sentence for screen readers.
import type { RatingSummary } from "@earnest/sdk";
import type { TFunction } from "../i18n";

/** An average rating with one decimal in the reader's locale ("4.5", "5.0"). */
export const formatRating = (average: number, locale: string) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(average);

/** The average as `formatRating` writes it, the count's plural picked by Intl; undefined without reviews. */
export function ratingSummaryText(
  { count, average }: RatingSummary,
  t: TFunction<"reviews">,
  locale: string,
): { shown: string; spoken: string } | undefined {
  if (average === undefined || count === 0) return undefined;
  const value = formatRating(average, locale);
  return {
    shown: t("summary.rated", { count, average: value }),
    spoken: t("summary.spoken", { count, average: value }),
  };
}

/** "★★★★☆" for a rating of 4. */
export const starGlyphs = (rating: number) => "★".repeat(rating) + "☆".repeat(Math.max(0, 5 - rating));
