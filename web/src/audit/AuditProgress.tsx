import { useTranslation } from "../i18n";
import { PHASES, type ProgressState } from "./useAuditRun";

/** The phases in order (done, current, to come) and a bar for the current one. */
export function AuditProgress({ progress }: { progress: ProgressState }) {
  const { t } = useTranslation("audit");
  const current = PHASES.indexOf(progress.phase);
  // Before a phase reports its size the bar is indeterminate (no value).
  const sized = progress.total > 0;
  return (
    <div className="audit-progress" role="status" data-testid="audit-progress" data-phase={progress.phase}>
      <ol className="audit-phases" aria-label={t("progress.label")}>
        {PHASES.map((phase, i) => (
          <li key={phase} data-state={i < current ? "done" : i === current ? "active" : "pending"}>
            {t(`progress.${phase}`)}
          </li>
        ))}
      </ol>
      <progress
        max={sized ? progress.total : undefined}
        value={sized ? progress.done : undefined}
        aria-label={t(`progress.${progress.phase}`)}
      />
      {sized && <span className="muted">{t("progress.count", { done: progress.done, total: progress.total })}</span>}
    </div>
  );
}
