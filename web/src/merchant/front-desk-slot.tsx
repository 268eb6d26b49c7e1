// One slot's guests as cards with big buttons, shared by the front desk's "Due now" / "Next" lists and the day
// view: what each booking's check-in needs (front-desk.ts decides), and cancelling with a full refund for those
// whose roles allow it.
import { useEffect, useReducer, useState } from "react";
import { useTranslation } from "../i18n";
import { isOpen, parseMetadata, type LedgerBooking, type LedgerOffering } from "@earnest/sdk";
import { useChainNow } from "../lib/chain";
import { formatVenueDateTime, formatVenueTime, shortAddress } from "../lib/format";
import { useBookingActions } from "./booking-actions";
import { deskCheckIn, type DeskPermissions } from "./front-desk";
import { useGuestName } from "./front-desk-guests";
import "./front-desk.css";

/** The chain's clock, re-read every few seconds: a desk left open enables a check-in when its window opens, not
 *  at the next refetch. */
export function useDeskNow(): number | undefined {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(tick, 5_000);
    return () => clearInterval(timer);
  }, []);
  return useChainNow();
}

type SlotCardProps = {
  offering: LedgerOffering;
  start: number;
  bookings: LedgerBooking[];
  /** The seats line under the heading ("3 of 4 seats left", "1 of 3 seats checked in"). */
  seatsLine: string;
  now: number;
  permissions: DeskPermissions;
  testId?: string;
  /** The test id of each guest's card: the desk's lists and the day view show the same bookings. */
  bookingTestId?: string;
};

export function SlotCard({
  offering,
  start,
  bookings,
  seatsLine,
  now,
  permissions,
  testId = "day-slot",
  bookingTestId = "day-booking",
}: SlotCardProps) {
  const meta = parseMetadata(offering.metadata);
  return (
    <article className="card slot-card" data-testid={testId} data-offering-id={offering.id} data-slot-start={start}>
      <h3>
        <span data-testid="slot-time">{formatVenueTime(start, meta.timeZone)}</span> · {meta.name}
      </h3>
      <p className="muted" data-testid="seats-left">
        {seatsLine}
      </p>
      <ul className="desk-bookings">
        {bookings.map((booking) => (
          <BookingCard
            key={String(booking.bookingId)}
            booking={booking}
            offering={offering}
            now={now}
            permissions={permissions}
            testId={bookingTestId}
          />
        ))}
      </ul>
    </article>
  );
}

function BookingCard({
  booking,
  offering,
  now,
  permissions,
  testId,
}: {
  booking: LedgerBooking;
  offering: LedgerOffering;
  now: number;
  permissions: DeskPermissions;
  testId: string;
}) {
  const { t } = useTranslation("merchant");
  const { checkIn, cancel } = useBookingActions();
  const [confirming, setConfirming] = useState(false);
  const zone = parseMetadata(offering.metadata).timeZone;
  const state = deskCheckIn(booking, offering, now, permissions);
  const name = useGuestName(booking.bookingId);
  const ref = { bookingId: booking.bookingId, seats: booking.seats, name };
  const at = (time: number) => formatVenueDateTime(time, zone);
  return (
    <li
      className="desk-booking"
      data-testid={testId}
      data-booking-id={String(booking.bookingId)}
      data-status={booking.status}
      data-check-in={state.kind}
    >
      <span className={name ? "desk-guest" : "address"} data-testid="booking-guest" title={booking.customer}>
        {name ?? shortAddress(booking.customer)}
      </span>
      <span data-testid="booking-seats">{t("day.seatsCount", { count: booking.seats })}</span>
      <span className="desk-status">
        {t(`status.${booking.status}` as "status.1")}
        {state.kind === "done" && ` · ${state.customerSigned ? t("day.checkedInSigned") : t("day.checkedIn")}`}
      </span>
      <span className="desk-booking-actions">
        {state.kind === "word" && (
          <button
            type="button"
            className="primary"
            data-testid="check-in"
            disabled={!state.open}
            title={state.open ? undefined : t("day.checkInOpens", { at: at(state.opensAt) })}
            onClick={() => void checkIn(ref)}
          >
            {t("day.checkIn")}
          </button>
        )}
        {permissions.cancel &&
          isOpen(booking) &&
          (confirming ? (
            <button
              type="button"
              data-testid="confirm-cancel"
              onClick={() => void cancel(ref).then(() => setConfirming(false))}
            >
              {t("day.confirmCancel")}
            </button>
          ) : (
            <button
              type="button"
              className="link desk-cancel"
              data-testid="merchant-cancel"
              onClick={() => setConfirming(true)}
            >
              {t("day.cancel")}
            </button>
          ))}
      </span>
      {state.kind === "word" && !state.open && (
        <span className="muted desk-note" data-testid="check-in-opens-at">
          {t("day.wordOpens", { at: at(state.opensAt), signedAt: at(state.signedOpensAt) })}
        </span>
      )}
      {state.kind === "signedOnly" && (
        <span className="muted desk-note" data-testid="needs-signed-code">
          {t("day.needsSignedCode", { at: at(state.opensAt) })}
        </span>
      )}
      {state.kind === "ended" && (
        <span className="muted desk-note">{t("day.checkInEnded", { at: at(state.closesAt) })}</span>
      )}
      {state.kind === "frozen" && <span className="muted desk-note">{t("pass.disputed")}</span>}
    </li>
  );
}
