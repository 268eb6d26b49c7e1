// What the user chose last time, so the picker reopens on it and the connector can reconnect to it.
import { derivationSchemes, type DerivationScheme } from "./derivation";

export interface LedgerAccountChoice {
  scheme: DerivationScheme;
  index: number;
}

const CHOICE_KEY = "earnest.ledger.account";
const CLEAR_SIGNING_KEY = "earnest.ledger.clearSigningMetadata";
const TELEMETRY_KEY = "earnest.ledger.telemetry";

export function loadAccountChoice(): LedgerAccountChoice | undefined {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? "null");
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { scheme, index } = parsed as Record<string, unknown>;
    if (!derivationSchemes.includes(scheme as DerivationScheme)) return undefined;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0) return undefined;
    return { scheme: scheme as DerivationScheme, index };
  } catch {
    return undefined; // corrupt storage: behave as if nothing was chosen
  }
}

export function saveAccountChoice(choice: LedgerAccountChoice): void {
  localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
}

/** Whether the user lets us ask Ledger's servers for clear-signing metadata on public chains (on by default). */
export function loadClearSigningMetadata(): boolean {
  return localStorage.getItem(CLEAR_SIGNING_KEY) !== "off";
}

export function saveClearSigningMetadata(enabled: boolean): void {
  localStorage.setItem(CLEAR_SIGNING_KEY, enabled ? "on" : "off");
}

/** Whether Ledger's context module may post its report after each signature (off unless the user turns it on). */
export function loadTelemetry(): boolean {
  return localStorage.getItem(TELEMETRY_KEY) === "on";
}

export function saveTelemetry(enabled: boolean): void {
  localStorage.setItem(TELEMETRY_KEY, enabled ? "on" : "off");
}
