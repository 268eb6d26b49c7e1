// An in-memory Ledger: the OS (dashboard, app switching, lock) in front of a fake Ethereum app. It answers
// raw APDUs, so the real DMK and Ethereum signer run unchanged on top of it.
import { ascii, concatBytes, fail, lv, ok, parseApdu, uint32, type DeviceAnswer } from "./apdu";
import { ETH_APP_VERSION, FakeEthereumApp } from "./fakeEthereumApp";
import { createKeyring } from "./testKeys";

const DASHBOARD = "BOLOS";
const SW_LOCKED = 0x5515;
const SW_REFUSED = 0x5501;
const SW_APP_NOT_INSTALLED = 0x6807;
const SW_CLA_NOT_SUPPORTED = 0x6e00;
const SW_INS_NOT_SUPPORTED = 0x6d00;

export interface FakeLedgerOptions {
  /** App running when plugged in; the dashboard by default. */
  app?: string;
  locked?: boolean;
  blindSigning?: boolean;
  installedApps?: string[];
}

export class FakeLedger {
  currentApp: string;
  locked: boolean;
  blindSigning: boolean;
  installedApps: string[];
  /** Decisions the user will take on the next review screens, oldest first; approve when empty. */
  readonly decisions: ("approve" | "reject")[] = [];
  /** Every APDU received, as hex, for tests to inspect. */
  readonly received: string[] = [];
  /** Answer the next APDU with this status word instead (a test's way to simulate any device failure). */
  nextStatusWord: number | undefined;
  readonly ethereum: FakeEthereumApp;
  private readonly keyAt = createKeyring();

  constructor(options: FakeLedgerOptions = {}) {
    this.currentApp = options.app ?? DASHBOARD;
    this.locked = options.locked ?? false;
    this.blindSigning = options.blindSigning ?? true;
    this.installedApps = options.installedApps ?? ["Ethereum", "Bitcoin"];
    this.ethereum = new FakeEthereumApp({
      blindSigning: () => this.blindSigning,
      decision: () => this.decide(),
      keyAt: this.keyAt,
    });
  }

  /** The address this device derives at `path` (what a real device would show). */
  addressAt(path: string): `0x${string}` {
    return this.keyAt(path).address;
  }

  /** One APDU in, response bytes (data then status word) out. */
  async exchange(raw: Uint8Array): Promise<{ data: Uint8Array; statusCode: Uint8Array }> {
    this.received.push(Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join(""));
    const answer = await this.answer(raw);
    return {
      data: answer.data ?? new Uint8Array(0),
      statusCode: Uint8Array.of(answer.statusWord >> 8, answer.statusWord & 0xff),
    };
  }

  private decide(): "approve" | "reject" {
    return this.decisions.shift() ?? "approve";
  }

  private async answer(raw: Uint8Array): Promise<DeviceAnswer> {
    if (this.nextStatusWord !== undefined) {
      const statusWord = this.nextStatusWord;
      this.nextStatusWord = undefined;
      return fail(statusWord);
    }
    if (this.locked) return fail(SW_LOCKED);
    const apdu = parseApdu(raw);
    const key = (apdu.cla << 8) | apdu.ins;
    if (key === 0xb001) return this.appAndVersion();
    if (key === 0xb0a7) {
      this.currentApp = DASHBOARD;
      return ok();
    }
    if (this.currentApp === DASHBOARD) {
      if (key === 0xe001) return this.osVersion();
      if (key === 0xe0d8) return this.openApp(new TextDecoder().decode(apdu.data));
      return fail(SW_CLA_NOT_SUPPORTED);
    }
    if (this.currentApp === "Ethereum" && apdu.cla === 0xe0) return this.ethereum.handle(apdu);
    return fail(SW_INS_NOT_SUPPORTED);
  }

  private appAndVersion(): DeviceAnswer {
    const version =
      this.currentApp === "Ethereum" ? ETH_APP_VERSION.join(".") : this.currentApp === DASHBOARD ? "1.3.0" : "2.1.0";
    return ok(concatBytes(Uint8Array.of(1), lv(ascii(this.currentApp)), lv(ascii(version)), lv(Uint8Array.of(0))));
  }

  private osVersion(): DeviceAnswer {
    // Target id of a Flex, then OS version, secure element flags (PIN validated + onboarded), MCU and
    // bootloader versions, language and recovery state: the fields DMK reads for this model.
    const seFlags = Uint8Array.of(0x84, 0, 0, 0);
    return ok(
      concatBytes(
        uint32(0x33300004),
        lv(ascii("1.3.0")),
        lv(seFlags),
        lv(ascii("5.24")),
        lv(ascii("0.0")),
        lv(Uint8Array.of(0)),
        lv(Uint8Array.of(0)),
      ),
    );
  }

  private openApp(name: string): DeviceAnswer {
    if (!this.installedApps.includes(name)) return fail(SW_APP_NOT_INSTALLED);
    if (this.decide() === "reject") return fail(SW_REFUSED);
    this.currentApp = name;
    return ok();
  }
}
