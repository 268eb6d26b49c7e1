import { useState } from "react";
import { useTranslation, type TFunction } from "../i18n";
import { isAddress, isAddressEqual, type Address } from "viem";
import { earnestEscrowAbi, STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS, type StaffMember } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { shortAddress } from "../lib/format";
import { useTransactor } from "../tx/TxProvider";
import { useEscrowEvents, useLedger } from "./queries";

/** The three roles, in the order the console lists them. */
export const STAFF_ROLES = [STAFF_CHECK_IN, STAFF_CANCEL, STAFF_COUPONS] as const;
type Role = (typeof STAFF_ROLES)[number];

/** Staff: who holds which role (from the `StaffRolesSet` events, via the merchant's ledger), and a form that grants
 *  or revokes each role for an address. A grant replaces the address's roles; no role at all revokes it, at once. */
export function StaffPanel({ account }: { account: Address }) {
  const { t } = useTranslation("merchant");
  const ledger = useLedger({ merchant: account });
  const { error } = useEscrowEvents();
  const [editing, setEditing] = useState<{ address: string; roles: number }>({ address: "", roles: STAFF_CHECK_IN });
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger) return <p className="muted">{t("loading")}</p>;

  return (
    <section>
      <h2>{t("staff.title")}</h2>
      <p className="muted">{t("staff.intro")}</p>
      <StaffForm key={editing.address} account={account} initial={editing} staff={ledger.staff} />
      <h3>{t("staff.current")}</h3>
      {ledger.staff.length === 0 ? (
        <p className="muted" data-testid="staff-none">
          {t("staff.none")}
        </p>
      ) : (
        <ul className="bookings">
          {ledger.staff.map((member) => (
            <StaffRow
              key={member.staff}
              member={member}
              onEdit={() => setEditing({ address: member.staff, roles: member.roles })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function roleNames(roles: number, t: TFunction<"merchant">): string {
  return STAFF_ROLES.filter((role) => (roles & role) !== 0)
    .map((role) => t(`staff.role.${role}.name`))
    .join(", ");
}

function StaffRow({ member, onEdit }: { member: StaffMember; onEdit: () => void }) {
  const { t } = useTranslation("merchant");
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  return (
    <li className="card" data-testid="staff-member" data-address={member.staff} data-roles={member.roles}>
      <p className="address">{member.staff}</p>
      <p data-testid="staff-roles">{roleNames(member.roles, t)}</p>
      <div className="actions">
        <button type="button" data-testid="staff-edit" onClick={onEdit}>
          {t("staff.edit")}
        </button>
        <button
          type="button"
          data-testid="staff-revoke"
          onClick={() =>
            void transactor.send({
              label: t("staff.revokeLabel"),
              done: t("staff.revoked", { address: shortAddress(member.staff) }),
              address: deployment!.escrow,
              abi: earnestEscrowAbi,
              functionName: "setStaffRoles",
              args: [member.staff, 0],
            })
          }
        >
          {t("staff.revokeAll")}
        </button>
      </div>
    </li>
  );
}

function StaffForm({
  account,
  initial,
  staff,
}: {
  account: Address;
  initial: { address: string; roles: number };
  staff: StaffMember[];
}) {
  const { t } = useTranslation("merchant");
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  const [address, setAddress] = useState(initial.address);
  const [roles, setRoles] = useState(initial.roles);
  const [busy, setBusy] = useState(false);
  const trimmed = address.trim();
  const valid = isAddress(trimmed);
  const own = valid && isAddressEqual(trimmed, account);
  const current = valid ? (staff.find((m) => isAddressEqual(m.staff, trimmed))?.roles ?? 0) : 0;
  const problem = trimmed === "" ? undefined : !valid ? t("staff.badAddress") : own ? t("staff.ownAddress") : undefined;
  const toggle = (role: Role) => setRoles((r) => r ^ role);

  const save = async () => {
    setBusy(true);
    await transactor.send({
      label: roles === 0 ? t("staff.revokeLabel") : t("staff.grantLabel"),
      done:
        roles === 0
          ? t("staff.revoked", { address: shortAddress(trimmed) })
          : t("staff.granted", { address: shortAddress(trimmed), roles: roleNames(roles, t) }),
      address: deployment!.escrow,
      abi: earnestEscrowAbi,
      functionName: "setStaffRoles",
      args: [trimmed as Address, roles],
    });
    setBusy(false);
  };

  return (
    <form
      className="builder"
      data-testid="staff-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && !own) void save();
      }}
    >
      <label className="field">
        <span>{t("staff.address")}</span>
        <input
          data-testid="staff-address"
          placeholder="0x…"
          value={address}
          aria-invalid={problem !== undefined}
          onChange={(e) => setAddress(e.target.value)}
        />
      </label>
      <fieldset>
        <legend>{t("staff.roles")}</legend>
        {STAFF_ROLES.map((role) => (
          <label key={role} className="choice">
            <input
              type="checkbox"
              data-testid={`staff-role-${role}`}
              checked={(roles & role) !== 0}
              onChange={() => toggle(role)}
            />
            <span>
              <strong>{t(`staff.role.${role}.name`)}</strong>
              <span className="muted">{t(`staff.role.${role}.means`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <p className="muted">{t("staff.never")}</p>
      {problem && (
        <p role="alert" className="problems">
          {problem}
        </p>
      )}
      {valid && !own && (
        <p data-testid="staff-consequence">
          {roles === 0
            ? current === 0
              ? t("staff.nothingToRevoke")
              : t("staff.willRevoke")
            : t("staff.willHold", { roles: roleNames(roles, t) })}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        data-testid="staff-save"
        disabled={busy || !valid || own || roles === current}
      >
        {roles === 0 ? t("staff.revokeAll") : t("staff.save")}
      </button>
    </form>
  );
}
