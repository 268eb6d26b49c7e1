import { describe, expect, it } from "vitest";
import { describeLedgerError, LedgerError, type LedgerMessageKey } from "./errors";

// The shapes the DMK and the Ethereum signer produce: `_tag`, and `errorCode` (the status word) for device answers.
const deviceAnswer = (tag: string, errorCode: string) => ({ _tag: tag, errorCode, message: "from the device" });

describe("describeLedgerError", () => {
  it.each<[string, unknown, LedgerMessageKey]>([
    ["5515 locked", deviceAnswer("DeviceLockedError", "5515"), "locked"],
    ["6982 security status (locked screen)", deviceAnswer("EthAppCommandError", "6982"), "locked"],
    ["6985 rejected in the Ethereum app", deviceAnswer("EthAppCommandError", "6985"), "rejected"],
    ["5501 refused on the device", deviceAnswer("ActionRefusedError", "5501"), "rejected"],
    ["6a80 blind signing disabled", deviceAnswer("EthAppCommandError", "6a80"), "blindSigning"],
    ["6A80 in capitals", deviceAnswer("EthAppCommandError", "6A80"), "blindSigning"],
    ["6807 app not installed", deviceAnswer("OpenAppCommandError", "6807"), "appNotInstalled"],
    ["6e00 CLA not supported (dashboard or other app)", deviceAnswer("DeviceInternalError", "6e00"), "wrongApp"],
    ["6d00 INS not supported (other app)", deviceAnswer("DeviceInternalError", "6d00"), "wrongApp"],
    ["6511 app not open (older firmware)", deviceAnswer("UnknownDeviceExchangeError", "6511"), "wrongApp"],
  ])("maps status word %s", (_, error, key) => {
    expect(describeLedgerError(error).key).toBe(key);
  });

  it.each<[string, LedgerMessageKey]>([
    ["DeviceLockedError", "locked"],
    ["RefusedByUserDAError", "rejected"],
    ["DeviceNotOnboardedError", "notOnboarded"],
    ["DeviceSessionNotFound", "disconnected"],
    ["DeviceDisconnectedWhileSendingError", "disconnected"],
    ["DeviceDisconnectedBeforeSendingApdu", "disconnected"],
    ["WebHidTransportNotSupportedError", "webhidUnavailable"],
    ["TransportNotSupportedError", "webhidUnavailable"],
    ["NoAccessibleDeviceError", "permissionCancelled"],
    ["DeviceBusyError", "busy"],
    ["AlreadySendingApduError", "busy"],
  ])("maps DMK error %s", (tag, key) => {
    expect(describeLedgerError({ _tag: tag }).key).toBe(key);
  });

  it("treats a closed WebHID chooser as a cancelled permission prompt", () => {
    expect(describeLedgerError(new DOMException("No device selected.", "NotFoundError")).key).toBe(
      "permissionCancelled",
    );
  });

  it("treats a browser without WebHID access as unavailable", () => {
    expect(describeLedgerError(new DOMException("Access denied by permissions policy", "SecurityError")).key).toBe(
      "webhidUnavailable",
    );
  });

  it("looks through DMK wrappers to the cause", () => {
    const wrapped = { _tag: "OpeningConnectionErrorWrapper", originalError: { _tag: "DeviceSessionNotFound" } };
    expect(describeLedgerError(wrapped).key).toBe("disconnected");
  });

  it("keeps a description our own code already made", () => {
    const own = new LedgerError({ key: "signerMismatch", values: { address: "0xabc" } });
    expect(describeLedgerError(own)).toEqual({ key: "signerMismatch", values: { address: "0xabc" } });
  });

  it("says what the device said when it is nothing known", () => {
    expect(describeLedgerError({ _tag: "SomethingNew", message: "Mode check fail" })).toEqual({
      key: "unknown",
      values: { detail: "Mode check fail" },
    });
  });
});
