// The console's reviews: what guests of fulfilled bookings wrote about the merchant's offerings, newest first, the
// unanswered counted, each with an "Answer" the merchant may use once. Loaded lazily with the reviews' messages.
import { useState } from "react";
import type { Address } from "viem";
import { parseMetadata, verifiedReviewsAbi, type Review } from "@earnest/sdk";
import { useTranslation } from "../i18n";
import { useOfferings, useReadChain } from "../lib/chain";
import { newestFirst, useReviews } from "../reviews/queries";
import { ReviewItem } from "../reviews/ReviewItem";
import { fitsReview, ReviewTextField } from "../reviews/ReviewTextField";
import "../reviews/reviews.css";
import { useTransactor } from "../tx/TxProvider";

export default function ReviewsPanel({ account }: { account: Address }) {
  const { t } = useTranslation(["reviews", "common"]);
  const { deployment } = useReadChain();
  const { data: offerings } = useOfferings();
  const { data: reviews, error } = useReviews();
  if (!deployment?.reviews) return <p className="muted">{t("panel.notDeployed")}</p>;
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!offerings || !reviews) return <p className="muted">{t("common:loading")}</p>;
  const mine = new Map(
    offerings.offerings
      .filter((o) => o.merchant.toLowerCase() === account.toLowerCase())
      .map((o) => [o.id, parseMetadata(o.metadata)]),
  );
  const list = reviews.filter((r) => mine.has(r.offeringId)).sort(newestFirst);
  const unanswered = list.filter((r) => !r.answer).length;
  return (
    <section data-testid="reviews-panel">
      <h2>{t("panel.title")}</h2>
      <p className="muted">{t("panel.intro")}</p>
      {list.length === 0 ? (
        <p className="muted" data-testid="reviews-none">
          {t("panel.none")}
        </p>
      ) : (
        <p data-testid="reviews-unanswered" data-count={unanswered}>
          <strong>{t("panel.unanswered", { count: unanswered })}</strong>
        </p>
      )}
      <ul className="review-list">
        {list.map((review) => {
          const meta = mine.get(review.offeringId)!;
          return (
            <ReviewItem
              key={String(review.bookingId)}
              review={review}
              venueZone={meta.timeZone}
              heading={t("panel.offering", { name: meta.name })}
            >
              {!review.answer && <AnswerForm review={review} reviews={deployment.reviews!.address} />}
            </ReviewItem>
          );
        })}
      </ul>
    </section>
  );
}

/** "Answer", then the answer's text and its byte count; sent through the transactor, once. */
function AnswerForm({ review, reviews }: { review: Review; reviews: Address }) {
  const { t } = useTranslation("reviews");
  const { send } = useTransactor();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const empty = text.trim() === "";
  const tooLong = !fitsReview(text);
  if (!open) {
    return (
      <div className="actions">
        <button type="button" data-testid="answer" onClick={() => setOpen(true)}>
          {t("answer.open")}
        </button>
      </div>
    );
  }
  return (
    <form
      className="review-form"
      data-testid="answer-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (empty || tooLong || busy) return;
        setBusy(true);
        void send({
          label: t("answer.label"),
          done: t("answer.done"),
          address: reviews,
          abi: verifiedReviewsAbi,
          functionName: "answer",
          args: [review.bookingId, text.trim()],
        }).then(() => setBusy(false));
      }}
    >
      <ReviewTextField label={t("answer.text")} value={text} onChange={setText} testId="answer-input" />
      <p className="muted">{t("answer.once")}</p>
      <div className="actions">
        <button type="submit" className="primary" data-testid="confirm-answer" disabled={empty || tooLong || busy}>
          {t("answer.send")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("answer.back")}
        </button>
      </div>
    </form>
  );
}
