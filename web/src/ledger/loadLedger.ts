// The one way into the Ledger chunk: nothing here imports it statically, so it loads on first use only.
import { loadTelemetry } from "./preferences";
import type { LedgerDevice } from "./runtime";
import { testTransportLoader } from "./testHook";

let device: Promise<LedgerDevice> | undefined;

export const loadLedgerRuntime = () => import("./runtime");

/** The page's single Ledger, shared by the account picker and the connector so requests queue together. */
export function ledgerDevice(): Promise<LedgerDevice> {
  device ??= loadLedgerRuntime().then((runtime) =>
    runtime.createLedgerDevice({ transport: testTransportLoader(), telemetry: loadTelemetry }),
  );
  return device;
}
