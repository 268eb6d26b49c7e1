// An offering's average rating and review count ("4.5 ★ · 12 reviews"): beside each offering in the list and at
// the top of an offering's page. Loaded lazily (see lazy.tsx), with the reviews' messages.
import { summarizeRatings, type Review } from "@earnest/sdk";
import { useTranslation } from "../i18n";
import { useReviews } from "./queries";
import { ratingSummaryText } from "./rating-text";
import "./reviews.css";

/** The summary of `reviews`; nothing when there are none. */
export function RatingSummary({ reviews }: { reviews: readonly Pick<Review, "rating">[] }) {
  const { t, i18n } = useTranslation("reviews");
  const text = ratingSummaryText(summarizeRatings(reviews), t, i18n.language);
  if (!text) return null;
  return (
    <p className="rating-summary" data-testid="rating-summary">
      <span aria-hidden="true">{text.shown}</span>
      <span className="visually-hidden">{text.spoken}</span>
    </p>
  );
}

/** The rating of one offering, from the deployment's reviews (one read for every offering shown). */
export function OfferingRating({ offeringId }: { offeringId: number }) {
  const { data } = useReviews();
  if (!data) return null;
  return <RatingSummary reviews={data.filter((r) => r.offeringId === offeringId)} />;
}
