import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import { parseMetadata, releasesSeats, type LedgerBooking, type LedgerOffering } from "@earnest/sdk";
import { localTimeZone } from "../lib/format";
import { dateIn, dayRange, sharedZone } from "../lib/time-zone";
import { deskPermissions } from "./front-desk";
import { SlotCard, useDeskNow } from "./front-desk-slot";
import { PassCheck } from "./PassCheck";
import { useEscrowEvents, useLedger } from "./queries";

type Slot = { key: string; offering: LedgerOffering; start: number; bookings: LedgerBooking[]; seatsLeft: number };

/** The day's bookings by slot (in the venue's calendar), with the pass check above them unless the front desk
 *  shows its own: run by the merchant (every role) or by its staff (`roles`, what the merchant granted them). */
export function DayView({
  merchant,
  roles,
  passCheck = true,
}: {
  merchant: Address;
  roles: number;
  passCheck?: boolean;
}) {
  const { t } = useTranslation("merchant");
  const ledger = useLedger({ merchant });
  const { error } = useEscrowEvents();
  const now = useDeskNow();
  const [date, setDate] = useState("");
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger || now === undefined) return <p className="muted">{t("loading")}</p>;
  const permissions = deskPermissions(roles);
  const calendarZone = sharedZone(
    [...ledger.offerings.values()].map((o) => parseMetadata(o.metadata).timeZone),
    localTimeZone(),
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
      {passCheck && <PassCheck offerings={ledger.offerings} now={now} roles={roles} />}
      <div className="actions day-controls">
        <h2>{t("day.title")}</h2>
        <input
          type="date"
          data-testid="day-date"
          aria-label={t("day.date")}
          value={day}
          onChange={(e) => setDate(e.target.value)}
        />
        <span className="muted" data-testid="day-zone">
          {t("day.zone", { zone: calendarZone })}
        </span>
      </div>
      {ordered.length === 0 && <p className="muted">{t("day.none")}</p>}
      {ordered.map((slot) => (
        <SlotCard
          key={slot.key}
          offering={slot.offering}
          start={slot.start}
          bookings={slot.bookings}
          seatsLine={t("day.seatsLeft", { left: slot.seatsLeft, total: slot.offering.seatsPerSlot })}
          now={now}
          permissions={permissions}
        />
      ))}
    </section>
  );
}
