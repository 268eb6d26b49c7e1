// The reviews of one offering, on its page: the summary and each review, newest first. Loaded lazily (lazy.tsx).
import { useTranslation } from "../i18n";
import { useReviews, newestFirst } from "./queries";
import { RatingSummary } from "./RatingSummary";
import { ReviewItem } from "./ReviewItem";
import "./reviews.css";

export function OfferingReviews({ offeringId, venueZone }: { offeringId: number; venueZone: string | undefined }) {
  const { t } = useTranslation(["reviews", "common"]);
  const { data, error, isPending } = useReviews();
  const reviews = data?.filter((r) => r.offeringId === offeringId).sort(newestFirst);
  return (
    <section className="reviews" aria-labelledby="reviews-title" data-testid="offering-reviews">
      <h2 id="reviews-title">{t("title")}</h2>
      {error ? (
        <p role="alert">{t("loadFailed")}</p>
      ) : isPending || !reviews ? (
        <p className="muted">{t("common:loading")}</p>
      ) : reviews.length === 0 ? (
        <p className="muted">{t("none")}</p>
      ) : (
        <>
          <RatingSummary reviews={reviews} />
          <ul className="review-list">
            {reviews.map((review) => (
              <ReviewItem key={String(review.bookingId)} review={review} venueZone={venueZone} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
