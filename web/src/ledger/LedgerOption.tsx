// The "Ledger (USB)" entry of the wallet picker. The click asks the browser for the device (it must happen
// inside the click), then the account picker, and with it the Ledger code, loads.
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "../i18n";
import { describeLedgerError, type LedgerMessage } from "./errors";
import { LedgerMessageText } from "./LedgerMessageText";
import { requestLedgerAccess } from "./requestAccess";

const AccountPicker = lazy(() => import("./AccountPicker"));

export function LedgerOption({ onConnected }: { onConnected: () => void }) {
  const { t } = useTranslation("ledger");
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<LedgerMessage>();

  async function start() {
    setError(undefined);
    try {
      await requestLedgerAccess();
      setPicking(true);
    } catch (failure) {
      setError(describeLedgerError(failure));
    }
  }

  return (
    <>
      <button type="button" data-testid="wallet-ledger" onClick={() => void start()} aria-expanded={picking}>
        {t("option")}
      </button>
      {error && (
        <p role="alert" data-testid="ledger-option-error" data-error={error.key}>
          <LedgerMessageText message={error} />
        </p>
      )}
      {picking && (
        <Suspense fallback={<p className="muted">{t("picker.loading")}</p>}>
          <AccountPicker
            onCancel={() => setPicking(false)}
            onConnected={() => {
              setPicking(false);
              onConnected();
            }}
          />
        </Suspense>
      )}
    </>
  );
}
