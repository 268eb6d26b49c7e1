// Rendered once at the app root: while a request waits on the device it says what to do there and offers a
// way out; after a failure it says what went wrong and how to fix it.
import type { CSSProperties } from "react";
import { useSyncExternalStore } from "react";
import { useTranslation } from "../i18n";
import { LedgerMessageText } from "./LedgerMessageText";
import { getLedgerStatus, setLedgerStatus, subscribeLedgerStatus } from "./status";

const panel: CSSProperties = {
  position: "fixed",
  top: "1rem",
  left: "50%",
  transform: "translateX(-50%)",
  zIndex: 1000,
  maxWidth: "28rem",
  background: "#fff",
  border: "1px solid #d6d9de",
  borderRadius: 10,
  padding: "0.8rem 1rem",
  boxShadow: "0 2px 12px #0003",
};

export function LedgerOverlay() {
  const { t } = useTranslation("ledger");
  const status = useSyncExternalStore(subscribeLedgerStatus, getLedgerStatus);

  if (status.kind === "idle") return null;
  if (status.kind === "waiting") {
    return (
      <div style={panel} role="status" aria-live="polite" data-testid="ledger-prompt" data-prompt={status.prompt}>
        <strong>{t(`prompt.${status.prompt}`)}</strong>
        <p>{t(`prompt.${status.prompt}Hint`)}</p>
        <button type="button" onClick={status.cancel} data-testid="ledger-cancel">
          {t("prompt.cancel")}
        </button>
      </div>
    );
  }
  return (
    <div style={panel} role="alert" data-testid="ledger-error" data-error={status.message.key}>
      <strong>{t("errors.title")}</strong>
      <p>
        <LedgerMessageText message={status.message} />
      </p>
      <button type="button" onClick={() => setLedgerStatus({ kind: "idle" })}>
        {t("errors.dismiss")}
      </button>
    </div>
  );
}
