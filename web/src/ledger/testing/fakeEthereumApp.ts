// The Ethereum app's side of the APDUs the DMK Ethereum signer sends, answered the way app-ethereum 1.x does,
// signing with the test keyring.
import { hashMessage, hashTypedData, hexToBytes, keccak256, parseTransaction, toHex, type Hex } from "viem";
import { sign } from "viem/accounts";
import { ascii, concatBytes, fail, ok, readPath, type Apdu, type DeviceAnswer } from "./apdu";
import { Eip712Rebuilder } from "./eip712Rebuilder";
import type { TestKey } from "./testKeys";

export const ETH_APP_VERSION = [1, 19, 1] as const;

const SW_REJECTED = 0x6985;
const SW_BLIND_SIGNING_NEEDED = 0x6a80;
const SW_INS_NOT_SUPPORTED = 0x6d00;

export interface EthereumAppSettings {
  blindSigning: () => boolean;
  /** What the user does on the next review screen. */
  decision: () => "approve" | "reject";
  keyAt: (path: string) => TestKey;
}

interface Pending {
  path: string;
  bytes: Uint8Array;
}

export class FakeEthereumApp {
  private transaction: Pending | undefined;
  private message: (Pending & { length: number }) | undefined;
  private typedData = new Eip712Rebuilder();

  constructor(private readonly settings: EthereumAppSettings) {}

  /** The last typed data the device rebuilt and signed, for tests to compare with what was asked. */
  lastTypedData: ReturnType<Eip712Rebuilder["rebuild"]> | undefined;

  async handle(apdu: Apdu): Promise<DeviceAnswer> {
    switch (apdu.ins) {
      case 0x06:
        return this.appConfiguration();
      case 0x02:
        return this.address(apdu);
      case 0x20:
        return ok(crypto.getRandomValues(new Uint8Array(4)));
      case 0x04:
        return this.signTransaction(apdu);
      case 0x08:
        return this.signPersonalMessage(apdu);
      case 0x1a:
        this.typedData.defineStruct(apdu.p2, apdu.data);
        return ok();
      case 0x1c:
        this.typedData.addValue(apdu.p1, apdu.p2, apdu.data);
        return ok();
      case 0x0c:
        return this.signTypedData(apdu);
      default:
        return fail(SW_INS_NOT_SUPPORTED);
    }
  }

  private appConfiguration(): DeviceAnswer {
    // Bit 0x20: the user already answered the "transaction checks" opt-in, so the signer does not ask again.
    const flags = (this.settings.blindSigning() ? 0x01 : 0x00) | 0x20;
    return ok(Uint8Array.of(flags, ...ETH_APP_VERSION));
  }

  private address(apdu: Apdu): DeviceAnswer {
    const { path } = readPath(apdu.data);
    if (apdu.p1 === 0x01 && this.settings.decision() === "reject") return fail(SW_REJECTED);
    const key = this.settings.keyAt(path);
    const publicKey = hexToBytes(key.publicKey);
    const address = ascii(key.address.slice(2));
    const chainCode = apdu.p2 === 0x01 ? new Uint8Array(32) : new Uint8Array(0);
    return ok(
      concatBytes(Uint8Array.of(publicKey.length), publicKey, Uint8Array.of(address.length), address, chainCode),
    );
  }

  private async signTransaction(apdu: Apdu): Promise<DeviceAnswer> {
    if (apdu.p1 === 0x00) {
      const { path, next } = readPath(apdu.data);
      this.transaction = { path, bytes: apdu.data.slice(next) };
    } else if (this.transaction) {
      this.transaction.bytes = concatBytes(this.transaction.bytes, apdu.data);
    } else {
      return fail(0x6a80);
    }
    const { path, bytes } = this.transaction;
    if (bytes.length < expectedTransactionLength(bytes)) return ok(); // more chunks to come

    this.transaction = undefined;
    const serialized = toHex(bytes);
    const transaction = parseTransaction(serialized);
    if (transaction.data && transaction.data !== "0x" && !this.settings.blindSigning())
      return fail(SW_BLIND_SIGNING_NEEDED);
    if (this.settings.decision() === "reject") return fail(SW_REJECTED);

    const signature = await sign({ hash: keccak256(serialized), privateKey: this.settings.keyAt(path).privateKey });
    const parity = Number(signature.yParity);
    // Typed transactions carry the parity; legacy ones EIP-155's v, truncated to a byte as the app does.
    const v =
      transaction.type === "legacy"
        ? (Number(BigInt(transaction.chainId ?? 0) & 0xffffffffn) * 2 + 35 + parity) & 0xff
        : parity;
    return ok(concatBytes(Uint8Array.of(v), hexToBytes(signature.r), hexToBytes(signature.s)));
  }

  private async signPersonalMessage(apdu: Apdu): Promise<DeviceAnswer> {
    if (apdu.p1 === 0x00) {
      const { path, next } = readPath(apdu.data);
      const length = new DataView(apdu.data.buffer, apdu.data.byteOffset).getUint32(next);
      this.message = { path, length, bytes: apdu.data.slice(next + 4) };
    } else if (this.message) {
      this.message.bytes = concatBytes(this.message.bytes, apdu.data);
    } else {
      return fail(0x6a80);
    }
    const { path, length, bytes } = this.message;
    if (bytes.length < length) return ok();

    this.message = undefined;
    if (this.settings.decision() === "reject") return fail(SW_REJECTED);
    return this.signHash(path, hashMessage({ raw: bytes }));
  }

  private async signTypedData(apdu: Apdu): Promise<DeviceAnswer> {
    // P2=00 is the hashed ("v0") mode current apps refuse; only the full mode is implemented by this device.
    if (apdu.p2 !== 0x01) return fail(SW_INS_NOT_SUPPORTED);
    const { path } = readPath(apdu.data);
    const typedData = this.typedData.rebuild();
    this.typedData = new Eip712Rebuilder();
    if (this.settings.decision() === "reject") return fail(SW_REJECTED);
    this.lastTypedData = typedData;
    return this.signHash(path, hashTypedData(typedData));
  }

  private async signHash(path: string, hash: Hex): Promise<DeviceAnswer> {
    const signature = await sign({ hash, privateKey: this.settings.keyAt(path).privateKey });
    const v = 27 + Number(signature.yParity);
    return ok(concatBytes(Uint8Array.of(v), hexToBytes(signature.r), hexToBytes(signature.s)));
  }
}

/** Total length of a serialized transaction, read from its RLP list header (after the type byte if typed). */
function expectedTransactionLength(bytes: Uint8Array): number {
  const typed = bytes[0] < 0x7f;
  const offset = typed ? 1 : 0;
  const header = bytes[offset];
  if (header === undefined) return Infinity;
  if (header <= 0xf7) return offset + 1 + (header - 0xc0);
  const lengthOfLength = header - 0xf7;
  let length = 0;
  for (let i = 1; i <= lengthOfLength; i++) length = length * 256 + (bytes[offset + i] ?? 0);
  return offset + 1 + lengthOfLength + length;
}
