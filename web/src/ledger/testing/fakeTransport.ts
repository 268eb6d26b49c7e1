// A DMK transport whose only device is a FakeLedger: what the real WebHID transport is to a USB Ledger.
import {
  DeviceDisconnectedWhileSendingError,
  DeviceModelId,
  TransportConnectedDevice,
  type ApduResponse,
  type DisconnectHandler,
  type TransportDiscoveredDevice,
  type TransportFactory,
} from "@ledgerhq/device-management-kit";
import { Left, Right } from "purify-ts";
import { BehaviorSubject, of } from "rxjs";
import type { FakeLedger } from "./fakeLedger";

export const FAKE_TRANSPORT_ID = "EARNEST_FAKE";

export interface FakeTransportControl {
  factory: TransportFactory;
  /** Pulls the cable: the session ends and further APDUs fail. */
  unplug(): void;
}

export function fakeTransport(device: FakeLedger): FakeTransportControl {
  let plugged = true;
  let onDisconnect: DisconnectHandler | undefined;
  const deviceId = "fake-ledger";

  const factory: TransportFactory = ({ deviceModelDataSource }) => {
    const discovered: TransportDiscoveredDevice = {
      id: deviceId,
      deviceModel: deviceModelDataSource.getDeviceModel({ id: DeviceModelId.FLEX }),
      transport: FAKE_TRANSPORT_ID,
    };
    const available = new BehaviorSubject<TransportDiscoveredDevice[]>([discovered]);
    return {
      getIdentifier: () => FAKE_TRANSPORT_ID,
      isSupported: () => true,
      startDiscovering: () => of(discovered),
      stopDiscovering: () => undefined,
      listenToAvailableDevices: () => available,
      connect(params) {
        onDisconnect = params.onDisconnect;
        return Promise.resolve(
          Right(
            new TransportConnectedDevice({
              id: deviceId,
              deviceModel: discovered.deviceModel,
              type: "USB",
              transport: FAKE_TRANSPORT_ID,
              sendApdu: async (apdu) => {
                if (!plugged) return Left(new DeviceDisconnectedWhileSendingError("unplugged"));
                const response: ApduResponse = await device.exchange(apdu);
                return Right(response);
              },
            }),
          ),
        );
      },
      disconnect: () => Promise.resolve(Right(undefined)),
    };
  };

  return {
    factory,
    unplug() {
      plugged = false;
      onDisconnect?.(deviceId);
    },
  };
}
