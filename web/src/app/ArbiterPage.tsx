import { useTranslation } from "../i18n";
import { useAccount } from "wagmi";
import { DisputesPanel } from "../merchant/DisputesPanel";
import "../merchant/merchant.css";
import "../merchant/console.css";

/** The arbiter's own entry (`#/arbiter`): the disputes that offerings naming this account send it, without the
 *  merchant console's registration around them. */
export default function ArbiterPage() {
  const { t } = useTranslation("merchant");
  const { address } = useAccount();
  return (
    <section className="arbiter-page" data-testid="arbiter-page">
      <h1>{t("disputes.arbiterTitle")}</h1>
      <p className="muted">{t("disputes.arbiterIntro")}</p>
      {address ? <DisputesPanel account={address} /> : <p data-testid="arbiter-connect">{t("disputes.connect")}</p>}
    </section>
  );
}
