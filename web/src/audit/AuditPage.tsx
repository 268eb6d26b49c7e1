// The auditor's page (issue #6): the sdk's verifier run in the browser against any RPC URL and escrow address.
import { useTranslation } from "../i18n";
import { AuditError } from "./AuditError";
import { AuditForm } from "./AuditForm";
import { AuditProgress } from "./AuditProgress";
import { AuditReport } from "./AuditReport";
import { useAuditRun } from "./useAuditRun";
import "./audit.css";

export default function AuditPage() {
  const { t } = useTranslation("audit");
  const { state, start, cancel } = useAuditRun();
  return (
    <section className="audit">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <AuditForm running={state.status === "running"} onRun={start} onCancel={cancel} />
      {state.status === "running" && <AuditProgress progress={state.progress} />}
      {state.status === "cancelled" && (
        <p role="status" data-testid="audit-cancelled">
          {t("progress.cancelled")}
        </p>
      )}
      {state.status === "failed" && <AuditError error={state.error} input={state.input} />}
      {state.status === "done" && <AuditReport result={state.result} />}
    </section>
  );
}
