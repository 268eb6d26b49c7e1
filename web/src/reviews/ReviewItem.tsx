// One review as readers see it: the stars, when it was written (the venue's clock, SPEC §4), the text, the booking
// it verifies and the merchant's answer. `children` adds what the viewer may do (the merchant's "Answer").
import type { ReactNode } from "react";
import type { Review } from "@earnest/sdk";
import { chains, explorerTxUrl } from "../config";
import { useTranslation } from "../i18n";
import { useReadChain } from "../lib/chain";
import { formatVenueDateTime } from "../lib/format";
import { starGlyphs } from "./rating-text";

export function Stars({ rating }: { rating: number }) {
  const { t } = useTranslation("reviews");
  return (
    <span className="stars" data-testid="review-rating" data-rating={rating}>
      <span aria-hidden="true">{starGlyphs(rating)}</span>
      <span className="visually-hidden">{t("stars", { count: rating })}</span>
    </span>
  );
}

export function ReviewItem({
  review,
  venueZone,
  heading,
  children,
}: {
  review: Review;
  /** The offering's zone, whose clock dates the review. */
  venueZone: string | undefined;
  /** What the review is of, where the list mixes offerings (the console). */
  heading?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation("reviews");
  const { chainId } = useReadChain();
  // No page takes a booking id (a pass carries the booking's private details): the booking is named, and its
  // review's transaction linked where the chain has an explorer.
  const link = explorerTxUrl(
    chains.find((c) => c.id === chainId),
    review.transactionHash,
  );
  const booking = t("booking", { id: String(review.bookingId) });
  return (
    <li className="review card" data-testid="review" data-booking-id={String(review.bookingId)}>
      {heading && <h3>{heading}</h3>}
      <p className="review-head">
        <Stars rating={review.rating} />{" "}
        <span className="muted">{formatVenueDateTime(review.reviewedAt, venueZone)}</span>
      </p>
      {review.text && (
        <blockquote className="review-text" data-testid="review-text">
          {review.text}
        </blockquote>
      )}
      <p className="muted review-booking" data-testid="review-booking">
        {t("verified")} ·{" "}
        {link ? (
          <a href={link} target="_blank" rel="noreferrer" title={t("bookingTx")}>
            {booking}
          </a>
        ) : (
          booking
        )}
      </p>
      {review.answer && (
        <div className="review-answer" data-testid="review-answer">
          <p className="muted">
            {t("merchantAnswer")} · {formatVenueDateTime(review.answer.answeredAt, venueZone)}
          </p>
          <blockquote className="review-text">{review.answer.text}</blockquote>
        </div>
      )}
      {children}
    </li>
  );
}
