// The check-in a verified pass allows, one component for the front desk's pass check and for a pass link opened by
// the merchant or its check-in staff (PassPage), so both say and do the same.
import { useTranslation } from "../i18n";
import { BookingStatus, canCheckIn, checkInWindow, CheckInRule, isOpen, type BookingPass } from "@earnest/sdk";
import type { BookingView } from "@earnest/sdk";
import { formatVenueDateTime } from "../lib/format";
import { useBookingActions } from "./booking-actions";

/** The check-in a verified pass allows now, or when it will: the customer's signed code from shortly before the
 *  slot; without one, the merchant's word from the slot's start, and never on an offering that takes only signed
 *  codes. A dispute freezes the check-in state. */
export function CheckInAction({
  pass,
  booking,
  offering,
  now,
  venueZone,
}: {
  pass: BookingPass;
  booking: BookingView;
  offering: { slotLength: number; checkInRule: number };
  now: number;
  venueZone: string | undefined;
}) {
  const { t } = useTranslation("merchant");
  const { checkIn, checkInWithSignature } = useBookingActions();
  if (!isOpen(booking) || booking.checkedIn) return null;
  if (booking.status === BookingStatus.Disputed) {
    return <p className="muted">{t("pass.disputed")}</p>;
  }
  const signature = pass.checkIn;
  if (signature === undefined && offering.checkInRule === CheckInRule.CustomerSignature) {
    return (
      <p className="banner warning" data-testid="check-in-needs-signature">
        {t("pass.needsSignature")}
      </p>
    );
  }
  const kind = signature === undefined ? "merchantWord" : "customerSigned";
  const { opensAt, closesAt } = checkInWindow(booking, offering, kind);
  const allowed = canCheckIn(booking, offering, kind, now);
  const at = (time: number) => formatVenueDateTime(time, venueZone);
  const ref = { bookingId: booking.bookingId, seats: booking.seats, name: pass.details.name || undefined };
  return (
    <>
      {signature !== undefined && <p className="ok">{t("pass.signedByCustomer")}</p>}
      <button
        type="button"
        className="primary"
        data-testid="pass-check-in"
        data-kind={kind}
        disabled={!allowed}
        onClick={() => void (signature === undefined ? checkIn(ref) : checkInWithSignature(ref, signature))}
      >
        {signature === undefined ? t("pass.checkInWord") : t("pass.checkInSigned")}
      </button>
      {now < opensAt && (
        <p className="muted" data-testid="check-in-opens">
          {signature === undefined
            ? t("pass.wordOpens", {
                at: at(opensAt),
                signedAt: at(checkInWindow(booking, offering, "customerSigned").opensAt),
              })
            : t("pass.signedOpens", { at: at(opensAt) })}
        </p>
      )}
      {now >= closesAt && <p className="muted">{t("pass.checkInEnded", { at: at(closesAt) })}</p>}
    </>
  );
}
