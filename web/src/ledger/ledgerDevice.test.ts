// The real DMK and Ethereum signer, talking to the fake device: the device-facing half of the Ledger code.
import { afterEach, describe, expect, it } from "vitest";
import { derivationPath, derivationSchemes } from "./derivation";
import type { LedgerError } from "./errors";
import { createLedgerDevice } from "./runtime/ledgerDevice";
import { getLedgerStatus, setLedgerStatus, subscribeLedgerStatus, type LedgerStatus } from "./status";
import { FakeLedger, type FakeLedgerOptions } from "./testing/fakeLedger";
import { fakeTransport } from "./testing/fakeTransport";

const opened: { close(): Promise<void> }[] = [];

function setup(options?: FakeLedgerOptions) {
  const fake = new FakeLedger(options);
  const transport = fakeTransport(fake);
  const device = createLedgerDevice({ transport: () => Promise.resolve(transport.factory), telemetry: () => false });
  opened.push(device);
  return { fake, transport, device };
}

function nextStatus(matches: (status: LedgerStatus) => boolean): Promise<LedgerStatus> {
  return new Promise((resolve) => {
    const unsubscribe = subscribeLedgerStatus(() => {
      const status = getLedgerStatus();
      if (matches(status)) {
        unsubscribe();
        resolve(status);
      }
    });
  });
}

const failureKey = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: LedgerError) => error.description.key,
  );

const OPEN_ETHEREUM = "e0d8000008457468657265756d"; // E0 D8, "Ethereum"
const CLOSE_APP = "b0a7000000";

afterEach(async () => {
  await Promise.all(opened.splice(0).map((device) => device.close()));
  setLedgerStatus({ kind: "idle" });
});

describe("addresses", () => {
  it("derives Hardhat's first account at BIP-44 index 0", async () => {
    const { device } = setup({ app: "Ethereum" });
    expect(await device.getAddress(derivationPath("bip44", 0))).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });

  it.each(derivationSchemes)("derives %s accounts as the device does, different for each index", async (scheme) => {
    const { device, fake } = setup({ app: "Ethereum" });
    const first = await device.getAddress(derivationPath(scheme, 0));
    const fourth = await device.getAddress(derivationPath(scheme, 3));
    expect(first).toBe(fake.addressAt(`m/${derivationPath(scheme, 0)}`));
    expect(fourth).toBe(fake.addressAt(`m/${derivationPath(scheme, 3)}`));
    expect(first).not.toBe(fourth);
  });
});

describe("opening the Ethereum app", () => {
  it("opens it from the dashboard", async () => {
    const { device, fake } = setup();
    await device.getAddress(derivationPath("ledgerLive", 0));
    expect(fake.currentApp).toBe("Ethereum");
    expect(fake.received).toContain(OPEN_ETHEREUM);
    expect(fake.received).not.toContain(CLOSE_APP);
  });

  it("closes another app first", async () => {
    const { device, fake } = setup({ app: "Bitcoin" });
    await device.getAddress(derivationPath("ledgerLive", 0));
    expect(fake.currentApp).toBe("Ethereum");
    const close = fake.received.indexOf(CLOSE_APP);
    expect(close).toBeGreaterThanOrEqual(0);
    expect(fake.received.indexOf(OPEN_ETHEREUM)).toBeGreaterThan(close);
  });

  it("says the app is missing when it is not installed", async () => {
    const { device } = setup({ installedApps: ["Bitcoin"] });
    expect(await failureKey(device.getAddress(derivationPath("ledgerLive", 0)))).toBe("appNotInstalled");
  });

  it("says the user declined when the device's open-app prompt is refused", async () => {
    const { device, fake } = setup();
    fake.decisions.push("reject");
    expect(await failureKey(device.getAddress(derivationPath("ledgerLive", 0)))).toBe("rejected");
  });
});

describe("device states", () => {
  it("asks to unlock a locked device and carries on once unlocked", async () => {
    const { device, fake } = setup({ locked: true, app: "Ethereum" });
    const unlockPrompt = nextStatus((status) => status.kind === "waiting" && status.prompt === "unlock");
    const address = device.getAddress(derivationPath("bip44", 0));
    await unlockPrompt;
    fake.locked = false;
    expect(await address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(getLedgerStatus().kind).toBe("idle");
  });

  it("can be cancelled while it waits for the user", async () => {
    const { device } = setup({ locked: true });
    const unlockPrompt = nextStatus((status) => status.kind === "waiting");
    const address = device.getAddress(derivationPath("bip44", 0));
    const waiting = await unlockPrompt;
    if (waiting.kind !== "waiting") throw new Error("unreachable");
    waiting.cancel();
    expect(await failureKey(address)).toBe("cancelled");
    expect(getLedgerStatus().kind).toBe("idle");
  });

  it("reports a device that was unplugged", async () => {
    const { device, transport } = setup({ app: "Ethereum" });
    await device.getAddress(derivationPath("bip44", 0));
    transport.unplug();
    expect(await failureKey(device.getAddress(derivationPath("bip44", 1)))).toBe("disconnected");
  });

  it("never has two requests on the device at once", async () => {
    const { device, fake } = setup({ app: "Ethereum" });
    let inFlight = 0;
    let most = 0;
    const exchange = fake.exchange.bind(fake);
    fake.exchange = async (apdu) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      try {
        return await exchange(apdu);
      } finally {
        inFlight--;
      }
    };
    await Promise.all([
      device.getAddress(derivationPath("bip44", 0)),
      device.signMessage(derivationPath("bip44", 0), new TextEncoder().encode("one")),
      device.getAddress(derivationPath("legacy", 2)),
      device.signMessage(derivationPath("bip44", 1), new TextEncoder().encode("two")),
    ]);
    expect(most).toBe(1);
    expect(fake.received.filter((apdu) => apdu.startsWith("e008"))).toHaveLength(2);
  });
});
