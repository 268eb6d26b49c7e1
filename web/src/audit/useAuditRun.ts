// The state of the page's audit: idle, running (with progress), done, failed or cancelled.
import { useCallback, useEffect, useRef, useState } from "react";
import { runAudit, type AuditRun } from "./run";
import type { AuditInput } from "./validate";

/** "connect" covers what comes before the first log is read: chain id, anchor block, contract code. */
export const PHASES = ["connect", "logs", "timestamps", "views"] as const;
export type Phase = (typeof PHASES)[number];
export type ProgressState = { phase: Phase; done: number; total: number };

export type RunState =
  | { status: "idle" }
  | { status: "running"; progress: ProgressState }
  | { status: "done"; result: AuditRun }
  | { status: "failed"; error: unknown; input: AuditInput }
  | { status: "cancelled" };

export function useAuditRun() {
  const [state, setState] = useState<RunState>({ status: "idle" });
  const current = useRef<AbortController | null>(null);

  // Leaving the page stops the run.
  useEffect(() => () => current.current?.abort(), []);

  const start = useCallback((input: AuditInput) => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    // A cancelled or superseded run may still settle (verify() runs after the last request): ignore it.
    const live = () => !controller.signal.aborted;
    setState({ status: "running", progress: { phase: "connect", done: 0, total: 0 } });
    void runAudit(input, {
      signal: controller.signal,
      onProgress: (phase, done, total) => {
        if (live()) setState({ status: "running", progress: { phase, done, total } });
      },
    }).then(
      (result) => {
        if (live()) setState({ status: "done", result });
      },
      (error: unknown) => {
        if (live()) setState({ status: "failed", error, input });
      },
    );
  }, []);

  const cancel = useCallback(() => {
    current.current?.abort();
    current.current = null;
    setState({ status: "cancelled" });
  }, []);

  return { state, start, cancel };
}
