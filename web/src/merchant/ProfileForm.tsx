import { useState } from "react";
import { useTranslation } from "../i18n";
import { isAddress, type Address } from "viem";
import { earnestEscrowAbi } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { useTransactor } from "../tx/TxProvider";

/** MerchantRegistry.MAX_NAME_BYTES */
const MAX_NAME_BYTES = 64;

/** Registers the account as a merchant, or edits its payout address and name. */
export function ProfileForm({
  account,
  current,
}: {
  account: Address;
  current: { payout: Address; name: string } | null;
}) {
  const { t } = useTranslation("merchant");
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  const [payout, setPayout] = useState<string>(current?.payout ?? account);
  const [name, setName] = useState(current?.name ?? "");
  const [busy, setBusy] = useState(false);
  // Problems show once the user has typed or tried to submit: not as a red error on a form nobody has touched.
  const [touched, setTouched] = useState(false);
  const nameBytes = new TextEncoder().encode(name.trim()).length;
  const problems = [
    ...(isAddress(payout.trim()) ? [] : [t("profile.badPayout")]),
    ...(nameBytes === 0 || nameBytes > MAX_NAME_BYTES ? [t("profile.badName", { max: MAX_NAME_BYTES })] : []),
  ];
  const unchanged =
    current !== null && current.payout.toLowerCase() === payout.trim().toLowerCase() && current.name === name.trim();

  const save = async (escrow: Address) => {
    setBusy(true);
    await transactor.send({
      label: current ? t("profile.updateLabel") : t("profile.registerLabel"),
      done: current ? t("profile.updated", { name: name.trim() }) : t("profile.registered", { name: name.trim() }),
      address: escrow,
      abi: earnestEscrowAbi,
      functionName: current ? "updateMerchant" : "registerMerchant",
      args: [payout.trim() as Address, name.trim()],
    });
    setBusy(false);
  };

  return (
    <form
      className="builder"
      data-testid="profile-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (deployment && problems.length === 0) void save(deployment.escrow);
      }}
    >
      <h2>{current ? t("profile.editTitle") : t("profile.registerTitle")}</h2>
      {!current && <p className="muted">{t("profile.registerHelp")}</p>}
      <label className="field">
        <span>{t("profile.name")}</span>
        <input
          data-testid="merchant-name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setTouched(true);
          }}
        />
      </label>
      <label className="field">
        <span>{t("profile.payout")}</span>
        <input
          data-testid="merchant-payout"
          className="address"
          value={payout}
          onChange={(e) => {
            setPayout(e.target.value);
            setTouched(true);
          }}
        />
      </label>
      <p className="muted">{t("profile.payoutHelp")}</p>
      {touched && problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <button
        type="submit"
        className="primary"
        data-testid="merchant-save"
        disabled={busy || (touched && problems.length > 0) || unchanged}
      >
        {current ? t("profile.save") : t("profile.register")}
      </button>
    </form>
  );
}
