// Finds the Ledger and keeps one DMK session to it, reopening it after the cable was pulled and put back.
import {
  DeviceManagementKitBuilder,
  type DeviceManagementKit,
  type DeviceSessionId,
  type DiscoveredDevice,
  type TransportFactory,
} from "@ledgerhq/device-management-kit";
import { filter, firstValueFrom, map, timeout } from "rxjs";

export interface LedgerSession {
  dmk: DeviceManagementKit;
  sessionId: DeviceSessionId;
}

/** How long to wait for a device the browser already lets us use before showing its device chooser. */
const KNOWN_DEVICE_WAIT_MS = 1500;

export class SessionKeeper {
  private dmk: DeviceManagementKit | undefined;
  private session: LedgerSession | undefined;

  constructor(private readonly transport: () => Promise<TransportFactory>) {}

  async current(): Promise<LedgerSession> {
    if (this.session) return this.session;
    this.dmk ??= new DeviceManagementKitBuilder().addTransport(await this.transport()).build();
    const dmk = this.dmk;
    const sessionId = await dmk.connect({ device: await findDevice(dmk) });
    const session = { dmk, sessionId };
    this.session = session;
    const forgetThis = () => {
      if (this.session === session) this.session = undefined;
    };
    // The state stream ends when the device goes away.
    dmk.getDeviceSessionState({ sessionId }).subscribe({ complete: forgetThis, error: forgetThis });
    return session;
  }

  /** After a disconnection error: the next call starts a new session. */
  forget(): void {
    this.session = undefined;
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await session.dmk.disconnect({ sessionId: session.sessionId }).catch(() => undefined);
  }
}

async function findDevice(dmk: DeviceManagementKit): Promise<DiscoveredDevice> {
  try {
    return await firstValueFrom(
      dmk.listenToAvailableDevices({}).pipe(
        filter((devices) => devices.length > 0),
        map((devices) => devices[0]),
        timeout({ first: KNOWN_DEVICE_WAIT_MS }),
      ),
    );
  } catch {
    // None known yet: ask the browser (WebHID's chooser, which needs the user's click).
    return await firstValueFrom(dmk.startDiscovering({}));
  }
}
