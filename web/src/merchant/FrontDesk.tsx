import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import { STAFF_COUPONS } from "@earnest/sdk";
import { CouponsPanel } from "./CouponsPanel";
import { DayView } from "./DayView";
import type { Employer } from "./queries";
import { STAFF_ROLES } from "./StaffPanel";

/** The front desk for staff: the day of a merchant that granted this account roles, with only what those roles
 *  allow (checking customers in, cancelling with a full refund, signing coupons). */
export function FrontDesk({ account, employers }: { account: Address; employers: Employer[] }) {
  const { t } = useTranslation("merchant");
  const [chosen, setChosen] = useState(0);
  const employer = employers[Math.min(chosen, employers.length - 1)];
  if (!employer) return <p className="muted">{t("desk.none")}</p>;
  const roles = STAFF_ROLES.filter((role) => (employer.roles & role) !== 0);
  return (
    <section data-testid="front-desk" data-merchant={employer.merchant}>
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
      <DayView merchant={employer.merchant} roles={employer.roles} />
      {(employer.roles & STAFF_COUPONS) !== 0 && <CouponsPanel merchant={employer.merchant} signer={account} />}
    </section>
  );
}
