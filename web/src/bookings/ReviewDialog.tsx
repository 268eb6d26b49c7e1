// The customer reviews a fulfilled visit: a rating of 1 to 5 stars (required) and an optional text, counted in bytes
// as the contract counts it. What is sent, and how, is the caller's (BookingReview, through the transactor).
import { useRef, useState } from "react";
import { useTranslation } from "../i18n";
import { fitsReview, ReviewTextField } from "../reviews/ReviewTextField";
import "../reviews/reviews.css";
import { ConfirmDialog } from "./MyBookingsPage";

const RATINGS = [1, 2, 3, 4, 5] as const;

export function ReviewDialog({
  name,
  until,
  busy = false,
  onSubmit,
  onClose,
}: {
  /** The offering reviewed. */
  name: string;
  /** When the window closes, as the card writes times. */
  until: string;
  /** Sending: the form waits. */
  busy?: boolean;
  onSubmit: (rating: number, text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("reviews");
  const [rating, setRating] = useState<number>();
  const [text, setText] = useState("");
  const [asked, setAsked] = useState(false);
  const firstStar = useRef<HTMLInputElement>(null);
  const missing = rating === undefined;
  const tooLong = !fitsReview(text);
  return (
    <ConfirmDialog title={t("write.title", { name })} onClose={onClose}>
      <form
        className="review-form"
        data-testid="review-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (missing) {
            setAsked(true);
            firstStar.current?.focus();
            return;
          }
          if (!tooLong && !busy) onSubmit(rating, text.trim());
        }}
      >
        <fieldset className="star-picker" aria-describedby={asked && missing ? "rating-required" : undefined}>
          <legend>{t("write.rating")}</legend>
          <div className="star-options">
            {RATINGS.map((value) => (
              <label key={value} className={rating !== undefined && value <= rating ? "lit" : undefined}>
                <input
                  ref={value === 1 ? firstStar : undefined}
                  type="radio"
                  name="rating"
                  value={value}
                  checked={rating === value}
                  onChange={() => setRating(value)}
                  data-testid={`review-star-${value}`}
                />
                <span aria-hidden="true">★</span>
                <span className="visually-hidden">{t("write.star", { count: value })}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {asked && missing && (
          <p id="rating-required" role="alert" className="problems" data-testid="review-rating-required">
            {t("write.ratingRequired")}
          </p>
        )}
        <ReviewTextField label={t("write.text")} value={text} onChange={setText} testId="review-text-input" />
        <p className="muted">{t("write.until", { time: until })}</p>
        <p className="muted">{t("write.public")}</p>
        <div className="actions">
          <button type="submit" className="primary" data-testid="confirm-review" disabled={tooLong || busy}>
            {t("write.send")}
          </button>
          <button type="button" onClick={onClose}>
            {t("write.back")}
          </button>
        </div>
      </form>
    </ConfirmDialog>
  );
}
