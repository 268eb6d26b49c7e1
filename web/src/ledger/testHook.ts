// Browsers under test cannot pick a USB device (headless Chromium has no chooser), so a test may define
// `window.__earnestLedgerTransport` before the app loads: a loader for a DMK transport factory (for example the
// fake device in ./testing) that the connector then uses instead of WebHID. Nothing sets it in production.
import type { TransportFactory } from "@ledgerhq/device-management-kit";

declare global {
  interface Window {
    __earnestLedgerTransport?: () => Promise<TransportFactory>;
  }
}

export function testTransportLoader(): (() => Promise<TransportFactory>) | undefined {
  return typeof window === "undefined" ? undefined : window.__earnestLedgerTransport;
}
