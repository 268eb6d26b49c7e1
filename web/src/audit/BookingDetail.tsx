import { Fragment, type ReactNode } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import { type RebuiltBooking, type TokenUnits, BookingStatus } from "@earnest/sdk";
import { formatDateTime } from "../lib/format";
import { tokenAmount } from "./amounts";

const statusKey = Object.fromEntries(Object.entries(BookingStatus).map(([name, value]) => [value, name])) as Record<
  number,
  keyof typeof BookingStatus
>;

/** One booking as the verifier rebuilt it from the events (the bookings CSV's row), for a finding about it. */
export function BookingDetail({
  booking,
  token,
  units,
  onClose,
}: {
  booking: RebuiltBooking;
  token: Address;
  units: TokenUnits;
  onClose: () => void;
}) {
  const { t } = useTranslation("audit");
  const money = (v: bigint | null) => (v === null ? t("booking.none") : tokenAmount(v, token, units));
  const rows: [string, ReactNode][] = [
    [t("booking.offering"), booking.offeringId],
    [t("booking.slot"), formatDateTime(booking.slotStart)],
    [t("booking.number"), booking.n],
    [t("booking.customer"), <span className="address">{booking.customer}</span>],
    [t("booking.seats"), booking.seats],
    [t("booking.amount"), money(booking.amount)],
    [t("booking.discount"), money(booking.discount)],
    [t("booking.feeBps"), booking.feeBps],
    [t("booking.status"), t(`status.${statusKey[booking.status]}`)],
    [t("booking.checkedIn"), t(booking.checkedIn ? "booking.yes" : "booking.no")],
    [t("booking.disputed"), t(booking.disputed ? "booking.yes" : "booking.no")],
    [t("booking.refundBps"), booking.refundBps ?? t("booking.none")],
    [t("booking.customerShare"), money(booking.customerShare)],
    [t("booking.merchantShare"), money(booking.merchantShare)],
    [t("booking.fee"), money(booking.fee)],
    [t("booking.bookedBlock"), String(booking.bookedBlock)],
    [t("booking.settledBlock"), booking.settledBlock === null ? t("booking.none") : String(booking.settledBlock)],
  ];
  return (
    <aside className="card audit-booking" data-testid="audit-booking" aria-labelledby="audit-booking-title">
      <div className="actions">
        <h3 id="audit-booking-title">{t("booking.title", { id: String(booking.bookingId) })}</h3>
        <button type="button" className="link" onClick={onClose}>
          {t("booking.close")}
        </button>
      </div>
      <dl className="terms">
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </aside>
  );
}
