// Everything the dApp asks of the Ledger, one request at a time, each showing its prompt in the overlay.
import type { TransportFactory } from "@ledgerhq/device-management-kit";
import { webHidTransportFactory } from "@ledgerhq/device-transport-kit-web-hid";
import { SignerEthBuilder, type Signature, type SignerEth, type TypedData } from "@ledgerhq/device-signer-kit-ethereum";
import { getAddress, hexToBytes, type Address, type Hex } from "viem";
import { createDeviceQueue } from "../deviceQueue";
import { LedgerError, describeLedgerError } from "../errors";
import { setLedgerStatus } from "../status";
import { ledgerMetadataContextModule, privateContextModule } from "./contextModule";
import { runDeviceAction } from "./deviceAction";
import { SessionKeeper, type LedgerSession } from "./session";

export type LedgerSignature = Signature;

export interface LedgerDevice {
  getAddress(path: string): Promise<Address>;
  /** `metadata`: whether Ledger's servers may be asked for clear-signing data for this request. */
  signTransaction(path: string, unsignedTransaction: Hex, metadata: boolean): Promise<LedgerSignature>;
  signMessage(path: string, message: Uint8Array): Promise<LedgerSignature>;
  signTypedData(path: string, typedData: TypedData, metadata: boolean): Promise<LedgerSignature>;
  close(): Promise<void>;
}

export interface LedgerDeviceOptions {
  /** WebHID unless a test supplies its own. */
  transport?: () => Promise<TransportFactory>;
  /** Whether Ledger's context module may post its report after each signature, asked at each signature. */
  telemetry: () => boolean;
}

export function createLedgerDevice({ transport, telemetry }: LedgerDeviceOptions): LedgerDevice {
  const sessions = new SessionKeeper(transport ?? (() => Promise.resolve(webHidTransportFactory)));
  const queue = createDeviceQueue();
  const signers = new WeakMap<LedgerSession, { private?: SignerEth; metadata?: SignerEth }>();

  function signerFor(session: LedgerSession, metadata: boolean): SignerEth {
    const cached = signers.get(session) ?? {};
    signers.set(session, cached);
    const kind = metadata ? "metadata" : "private";
    cached[kind] ??= new SignerEthBuilder({ dmk: session.dmk, sessionId: session.sessionId })
      .withContextModule(metadata ? ledgerMetadataContextModule(telemetry) : privateContextModule)
      .build();
    return cached[kind];
  }

  /** Signatures report their errors in the overlay; quick reads leave that to whoever asked (the picker). */
  function request<T>(work: (session: LedgerSession) => Promise<T>, { signing }: { signing: boolean }): Promise<T> {
    return queue(async () => {
      try {
        return await work(await sessions.current());
      } catch (error) {
        const failure =
          error instanceof LedgerError ? error : new LedgerError(describeLedgerError(error), { cause: error });
        if (failure.description.key === "disconnected") sessions.forget();
        // A refusal reaches the dApp as a wallet rejection, which it already explains.
        const quiet = failure.description.key === "cancelled" || failure.description.key === "rejected";
        if (signing && !quiet) setLedgerStatus({ kind: "error", message: failure.description });
        throw failure;
      }
    });
  }

  return {
    getAddress: (path) =>
      request(
        async (session) => {
          const { address } = await runDeviceAction(
            signerFor(session, false).getAddress(path, { checkOnDevice: false }),
          );
          return getAddress(address);
        },
        { signing: false },
      ),

    signTransaction: (path, unsignedTransaction, metadata) =>
      request(
        (session) =>
          runDeviceAction(
            signerFor(session, metadata).signTransaction(path, hexToBytes(unsignedTransaction)),
            "confirm",
          ),
        { signing: true },
      ),

    signMessage: (path, message) =>
      request((session) => runDeviceAction(signerFor(session, false).signMessage(path, message), "confirm"), {
        signing: true,
      }),

    signTypedData: (path, typedData, metadata) =>
      request((session) => runDeviceAction(signerFor(session, metadata).signTypedData(path, typedData), "confirm"), {
        signing: true,
      }),

    close: () => queue(() => sessions.close()),
  };
}
