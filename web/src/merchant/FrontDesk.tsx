import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import { CouponsPanel } from "./CouponsPanel";
import { DayView } from "./DayView";
import { deskPermissions, deskQueue, type DeskPermissions, type DeskSlot } from "./front-desk";
import { SlotCard, useDeskNow } from "./front-desk-slot";
import { PassCheck } from "./PassCheck";
import { useEscrowEvents, useLedger, type Employer } from "./queries";
import { STAFF_ROLES } from "./StaffPanel";

/** The front desk, made for a phone or tablet at the door: the pass scan on top, who is due now and next, then the
 *  whole day; run by the merchant itself (every role) or by staff of a merchant that granted this account roles,
 *  with only what those roles allow (checking customers in, cancelling with a full refund, signing coupons). */
export function FrontDesk({ account, employers }: { account: Address; employers: Employer[] }) {
  const { t } = useTranslation("merchant");
  const [chosen, setChosen] = useState(0);
  const employer = employers[Math.min(chosen, employers.length - 1)];
  if (!employer) return <p className="muted">{t("desk.none")}</p>;
  const roles = STAFF_ROLES.filter((role) => (employer.roles & role) !== 0);
  const permissions = deskPermissions(employer.roles);
  return (
    <section className="front-desk" data-testid="front-desk" data-merchant={employer.merchant}>
      <h2>{t("desk.title", { name: employer.name })}</h2>
      {employers.length > 1 && (
        <label className="field">
          <span>{t("desk.choose")}</span>
          <select data-testid="desk-merchant" value={chosen} onChange={(e) => setChosen(Number(e.target.value))}>
            {employers.map((e, i) => (
              <option key={e.merchant} value={i}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted" data-testid="desk-roles">
        {t("desk.roles", { roles: roles.map((role) => t(`staff.role.${role}.name`)).join(", ") })}
      </p>
      <DeskQueue merchant={employer.merchant} roles={employer.roles} permissions={permissions} />
      <DayView merchant={employer.merchant} roles={employer.roles} passCheck={false} />
      {permissions.coupons && <CouponsPanel merchant={employer.merchant} signer={account} />}
    </section>
  );
}

/** The pass check, then the guests due now (slots in progress or starting within the hour) and next. */
function DeskQueue({
  merchant,
  roles,
  permissions,
}: {
  merchant: Address;
  roles: number;
  permissions: DeskPermissions;
}) {
  const { t } = useTranslation("merchant");
  const ledger = useLedger({ merchant });
  const { error } = useEscrowEvents();
  const now = useDeskNow();
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger || now === undefined) return <p className="muted">{t("loading")}</p>;
  const { dueNow, next } = deskQueue({ bookings: ledger.bookings.values(), offerings: ledger.offerings }, now);
  const list = (slots: DeskSlot[], testId: string, empty: string) =>
    slots.length === 0 ? (
      <p className="muted">{empty}</p>
    ) : (
      slots.map((slot) => (
        <SlotCard
          key={slot.key}
          testId={testId}
          bookingTestId="desk-booking"
          offering={slot.offering}
          start={slot.start}
          bookings={slot.bookings}
          seatsLine={t("desk.seatsCheckedIn", { count: slot.seats, done: slot.seatsCheckedIn })}
          now={now}
          permissions={permissions}
        />
      ))
    );
  return (
    <>
      <PassCheck offerings={ledger.offerings} now={now} roles={roles} />
      <section className="desk-queue" data-testid="desk-due-now">
        <h3>{t("desk.dueNow")}</h3>
        {list(dueNow, "desk-slot-now", t("desk.noneDue"))}
      </section>
      <section className="desk-queue" data-testid="desk-next">
        <h3>{t("desk.next")}</h3>
        {list(next, "desk-slot-next", t("desk.noneNext"))}
      </section>
    </>
  );
}
