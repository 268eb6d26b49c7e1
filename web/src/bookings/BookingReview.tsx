// A fulfilled booking's review on its card in My bookings: the customer's review once written, else, while its
// window is open, "Review your visit" and the dialog, sent through the transactor. Loaded lazily with the reviews'
// messages, by cards of fulfilled bookings on chains with a reviews contract.
import { useState } from "react";
import { useAccount } from "wagmi";
import { BookingStatus, verifiedReviewsAbi, type CustomerBooking } from "@earnest/sdk";
import { useTranslation } from "../i18n";
import { useCustomerBookings } from "../lib/customer-bookings";
import { useReadChain } from "../lib/chain";
import { formatVenueDateTime } from "../lib/format";
import { useReviews, useReviewWindows } from "../reviews/queries";
import { Stars } from "../reviews/ReviewItem";
import { useTransactor } from "../tx/TxProvider";
import { ReviewDialog } from "./ReviewDialog";

export function BookingReview({
  booking,
  name,
  venueZone,
  now,
}: {
  booking: CustomerBooking;
  /** The offering's name. */
  name: string;
  venueZone: string | undefined;
  now: number;
}) {
  const { t } = useTranslation("reviews");
  const { address } = useAccount();
  const { deployment } = useReadChain();
  const { send } = useTransactor();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  // What was just sent, shown until the reviews are read again with it.
  const [sent, setSent] = useState<{ rating: number; text: string }>();
  const { data: reviews } = useReviews();
  // One read of the windows for all the customer's fulfilled bookings, shared by their cards.
  const { data: bookings } = useCustomerBookings(address);
  const fulfilled = (bookings ?? []).filter((b) => b.status === BookingStatus.Fulfilled).map((b) => b.bookingId);
  const { data: windows } = useReviewWindows(fulfilled);
  const reviewsContract = deployment?.reviews;
  if (!reviews || !reviewsContract || booking.status !== BookingStatus.Fulfilled) return null;

  const review = reviews.find((r) => r.bookingId === booking.bookingId) ?? sent;
  if (review) {
    return (
      <div className="booking-review" data-testid="booking-review">
        <p>
          {t("yours")}: <Stars rating={review.rating} />
        </p>
        {review.text && <blockquote className="review-text">{review.text}</blockquote>}
      </div>
    );
  }
  const closesAt = windows?.get(booking.bookingId);
  if (closesAt === undefined || now > closesAt) return null;
  const until = formatVenueDateTime(closesAt, venueZone);
  return (
    <>
      <div className="actions">
        <button type="button" className="primary" data-testid="write-review" onClick={() => setAsking(true)}>
          {t("write.open")}
        </button>
      </div>
      {asking && (
        <ReviewDialog
          name={name}
          until={until}
          busy={busy}
          onClose={() => setAsking(false)}
          onSubmit={(rating, text) => {
            // Kept open until it is on chain, as the dispute is: a failure leaves the review to send again.
            setBusy(true);
            void send({
              label: t("write.label"),
              done: t("write.done"),
              address: reviewsContract.address,
              abi: verifiedReviewsAbi,
              functionName: "review",
              args: [booking.bookingId, rating, text],
            }).then((result) => {
              setBusy(false);
              if (!result.ok) return;
              setSent({ rating, text });
              setAsking(false);
            });
          }}
        />
      )}
    </>
  );
}
