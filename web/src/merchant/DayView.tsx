import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import {
  canCheckIn,
  checkInWindow,
  CheckInRule,
  isOpen,
  releasesSeats,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  type LedgerBooking,
  type LedgerOffering,
  parseMetadata,
} from "@earnest/sdk";
import { useChainNow } from "../lib/chain";
import { formatTime, formatVenueDateTime, localTimeZone, shortAddress } from "../lib/format";
import { dateIn, dayRange, sharedZone } from "../lib/time-zone";
import { useBookingActions } from "./booking-actions";
import { PassCheck } from "./PassCheck";
import { useEscrowEvents, useLedger } from "./queries";

type Slot = { key: string; offering: LedgerOffering; start: number; bookings: LedgerBooking[]; seatsLeft: number };

/** The day's bookings by slot (in the venue's calendar), with the pass check above them: the merchant's front desk,
 *  run by the merchant (every role) or by its staff (`roles`, what the merchant granted them). */
export function DayView({ merchant, roles }: { merchant: Address; roles: number }) {
  const { t } = useTranslation("merchant");
  const ledger = useLedger({ merchant });
  const { error } = useEscrowEvents();
  const now = useChainNow();
  const [date, setDate] = useState("");
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger || now === undefined) return <p className="muted">{t("loading")}</p>;
  const calendarZone = sharedZone(
    [...ledger.offerings.values()].map((o) => parseMetadata(o.metadata).timeZone),
    localTimeZone,
  );
  const day = date || dateIn(now, calendarZone);
  const [from, to] = dayRange(day, calendarZone);

  const slots = new Map<string, Slot>();
  for (const booking of ledger.bookings.values()) {
    if (booking.slotStart < from || booking.slotStart >= to) continue;
    const offering = ledger.offerings.get(booking.offeringId)!;
    const key = `${booking.offeringId}:${booking.slotStart}`;
    const slot = slots.get(key) ?? {
      key,
      offering,
      start: booking.slotStart,
      bookings: [],
      seatsLeft: offering.seatsPerSlot,
    };
    slot.bookings.push(booking);
    if (!releasesSeats(booking.status)) slot.seatsLeft -= booking.seats;
    slots.set(key, slot);
  }
  const ordered = [...slots.values()].sort((a, b) => a.start - b.start || a.offering.id - b.offering.id);

  return (
    <section>
      <PassCheck offerings={ledger.offerings} now={now} roles={roles} />
      <div className="actions">
        <h2>{t("day.title")}</h2>
        <input
          type="date"
          data-testid="day-date"
          aria-label={t("day.date")}
          value={day}
          onChange={(e) => setDate(e.target.value)}
        />
        {calendarZone !== localTimeZone && (
          <span className="muted" data-testid="day-zone">
            {calendarZone}
          </span>
        )}
      </div>
      {ordered.length === 0 && <p className="muted">{t("day.none")}</p>}
      {ordered.map((slot) => (
        <SlotCard key={slot.key} slot={slot} now={now} roles={roles} />
      ))}
    </section>
  );
}

function SlotCard({ slot, now, roles }: { slot: Slot; now: number; roles: number }) {
  const { t } = useTranslation("merchant");
  const { checkIn, cancel } = useBookingActions();
  const [confirming, setConfirming] = useState<bigint>();
  const zone = parseMetadata(slot.offering.metadata).timeZone;
  // The merchant's word counts from the slot's start; a signed code is checked in from the pass check above.
  const wordOpensAt = checkInWindow({ slotStart: slot.start }, slot.offering, "merchantWord").opensAt;
  const signedOnly = slot.offering.checkInRule === CheckInRule.CustomerSignature;
  const mayCheckIn = (roles & STAFF_CHECK_IN) !== 0;
  const mayCancel = (roles & STAFF_CANCEL) !== 0;
  return (
    <article
      className="card slot-card"
      data-testid="day-slot"
      data-offering-id={slot.offering.id}
      data-slot-start={slot.start}
    >
      <h3>
        {formatTime(slot.start, zone)} · {parseMetadata(slot.offering.metadata).name}
      </h3>
      <p className="muted" data-testid="seats-left">
        {t("day.seatsLeft", { left: slot.seatsLeft, total: slot.offering.seatsPerSlot })}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>{t("day.customer")}</th>
            <th>{t("day.seats")}</th>
            <th>{t("day.status")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {slot.bookings.map((b) => (
            <tr
              key={String(b.bookingId)}
              data-testid="day-booking"
              data-booking-id={String(b.bookingId)}
              data-status={b.status}
            >
              <td className="address" title={b.customer}>
                {shortAddress(b.customer)}
              </td>
              <td>{b.seats}</td>
              <td>
                {t(`status.${b.status}` as "status.1")}
                {b.checkedIn && ` · ${b.checkIn?.customerSigned ? t("day.checkedInSigned") : t("day.checkedIn")}`}
              </td>
              <td className="actions">
                {mayCheckIn && isOpen(b) && !b.checkedIn && signedOnly && (
                  <span className="muted" data-testid="needs-signed-code">
                    {t("day.needsSignedCode")}
                  </span>
                )}
                {mayCheckIn && isOpen(b) && !b.checkedIn && !signedOnly && (
                  <button
                    type="button"
                    data-testid="check-in"
                    disabled={!canCheckIn(b, slot.offering, "merchantWord", now)}
                    title={
                      now < wordOpensAt
                        ? t("day.checkInOpens", { at: formatVenueDateTime(wordOpensAt, zone) })
                        : undefined
                    }
                    onClick={() => void checkIn(b.bookingId)}
                  >
                    {t("day.checkIn")}
                  </button>
                )}
                {mayCancel &&
                  isOpen(b) &&
                  (confirming === b.bookingId ? (
                    <button
                      type="button"
                      data-testid="confirm-cancel"
                      onClick={() => void cancel(b.bookingId).then(() => setConfirming(undefined))}
                    >
                      {t("day.confirmCancel")}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="link"
                      data-testid="merchant-cancel"
                      onClick={() => setConfirming(b.bookingId)}
                    >
                      {t("day.cancel")}
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
