// WebHID only lets a page ask for a device while handling the user's click, and loading the Ledger chunk
// first could outlast that window. So the click asks the browser for the Ledger here, with no Ledger code.
import { LedgerError, describeLedgerError } from "./errors";
import { testTransportLoader } from "./testHook";

const LEDGER_VENDOR_ID = 0x2c97;

interface HidDevice {
  vendorId: number;
}
interface Hid {
  getDevices(): Promise<HidDevice[]>;
  requestDevice(options: { filters: { vendorId: number }[] }): Promise<HidDevice[]>;
}

export async function requestLedgerAccess(): Promise<void> {
  if (testTransportLoader()) return;
  const hid = (navigator as Navigator & { hid?: Hid }).hid;
  if (!hid) throw new LedgerError({ key: "webhidUnavailable" });
  const known = await hid.getDevices();
  if (known.some((device) => device.vendorId === LEDGER_VENDOR_ID)) return;
  let picked: HidDevice[];
  try {
    picked = await hid.requestDevice({ filters: [{ vendorId: LEDGER_VENDOR_ID }] });
  } catch (error) {
    throw new LedgerError(describeLedgerError(error), { cause: error });
  }
  if (picked.length === 0) throw new LedgerError({ key: "permissionCancelled" });
}
