// The Ledger integration as the rest of the dApp sees it, and nothing of it on first load: the option's button
// loads when the wallet picker opens, the connector and the DMK when the user picks Ledger, and the overlay when
// a Ledger request is under way. Only the status store (a few lines) is static.
import { createElement, lazy, Suspense, useSyncExternalStore } from "react";
import { withMessages } from "../i18n";
import { getLedgerStatus, subscribeLedgerStatus } from "./status";

const LazyOption = lazy(() =>
  withMessages(import("./LedgerOption"), "ledger").then((m) => ({ default: m.LedgerOption })),
);
const LazyOverlay = lazy(() =>
  withMessages(import("./LedgerOverlay"), "ledger").then((m) => ({ default: m.LedgerOverlay })),
);

/** The "Ledger (USB)" entry of the wallet picker. */
export function LedgerOption(props: { onConnected: () => void }) {
  return createElement(Suspense, { fallback: null }, createElement(LazyOption, props));
}

/** "Confirm on your Ledger" and device errors, shown only while the Ledger has something to say. */
export function LedgerOverlay() {
  const status = useSyncExternalStore(subscribeLedgerStatus, getLedgerStatus);
  return status.kind === "idle" ? null : createElement(Suspense, { fallback: null }, createElement(LazyOverlay));
}
