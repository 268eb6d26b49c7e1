// Bundled by the browser test and injected before the app loads: a fake Ledger (Ethereum app open, blind
// signing on) behind the connector's test hook, kept at `window.__fakeLedger` so the test can inspect it.
import { FakeLedger } from "./fakeLedger";
import { fakeTransport } from "./fakeTransport";

declare global {
  interface Window {
    __fakeLedger?: FakeLedger;
  }
}

const device = new FakeLedger({ app: "Ethereum" });
const { factory } = fakeTransport(device);
window.__fakeLedger = device;
window.__earnestLedgerTransport = () => Promise.resolve(factory);
