// What the overlay shows: nothing, a request waiting on the device (with a way to cancel it), or the last
// error with what to do. A tiny external store so the overlay does not pull in any Ledger code.
import type { LedgerMessage } from "./errors";

/** What the device is waiting for, from DMK's `requiredUserInteraction` (kept as our own small vocabulary). */
export type LedgerPrompt = "working" | "unlock" | "openApp" | "confirm";

export type LedgerStatus =
  | { kind: "idle" }
  | { kind: "waiting"; prompt: LedgerPrompt; cancel: () => void }
  | { kind: "error"; message: LedgerMessage };

let status: LedgerStatus = { kind: "idle" };
const listeners = new Set<() => void>();

export function getLedgerStatus(): LedgerStatus {
  return status;
}

export function setLedgerStatus(next: LedgerStatus): void {
  status = next;
  for (const listener of listeners) listener();
}

export function subscribeLedgerStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
