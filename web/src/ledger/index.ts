// Placeholder until the Ledger connector lands (issue #4): no connectors and nothing to show.
import type { CreateConnectorFn } from "wagmi";

export const ledgerConnectors: CreateConnectorFn[] = [];

export function LedgerOption(_props: { onConnected: () => void }): null {
  return null;
}

export function LedgerOverlay(): null {
  return null;
}
