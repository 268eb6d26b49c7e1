// Signing through the viem account: what wagmi calls when the dApp books, cancels, claims or signs a permit.
import {
  parseTransaction,
  recoverTransactionAddress,
  UserRejectedRequestError,
  verifyMessage,
  verifyTypedData,
  type Address,
  type LocalAccount,
  type TransactionSerializedEIP1559,
  type TransactionSerializedLegacy,
} from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { derivationPath } from "./derivation";
import { LedgerError } from "./errors";
import { createLedgerAccount } from "./runtime/account";
import { createLedgerDevice, type LedgerDevice } from "./runtime/ledgerDevice";
import { getLedgerStatus, setLedgerStatus } from "./status";
import { FakeLedger, type FakeLedgerOptions } from "./testing/fakeLedger";
import { fakeTransport } from "./testing/fakeTransport";
import { permitTypes } from "@earnest/sdk";

const PATH = derivationPath("bip44", 1);
const HARDHAT_1: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const devices: LedgerDevice[] = [];

function setup(options: FakeLedgerOptions & { address?: Address; metadata?: boolean } = {}) {
  const fake = new FakeLedger({ app: "Ethereum", ...options });
  const transport = fakeTransport(fake);
  const device = createLedgerDevice({ transport: () => Promise.resolve(transport.factory), telemetry: () => false });
  devices.push(device);
  const account: LocalAccount = createLedgerAccount({
    device,
    address: options.address ?? HARDHAT_1,
    path: PATH,
    metadataAllowed: () => options.metadata ?? false,
  });
  return { fake, account };
}

const booking = {
  chainId: 31337,
  type: "eip1559",
  to: ESCROW,
  nonce: 7,
  gas: 210_000n,
  maxFeePerGas: 2_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
  value: 10n ** 16n,
  data: "0x12345678000000000000000000000000000000000000000000000000000000000000002a",
} as const;

afterEach(async () => {
  await Promise.all(devices.splice(0).map((device) => device.close()));
  setLedgerStatus({ kind: "idle" });
  vi.unstubAllGlobals();
});

describe("transactions", () => {
  it("signs an EIP-1559 transaction the chain will attribute to the chosen account", async () => {
    const { account } = setup();
    const signed = (await account.signTransaction(booking)) as TransactionSerializedEIP1559;
    expect(await recoverTransactionAddress({ serializedTransaction: signed })).toBe(HARDHAT_1);
    expect(parseTransaction(signed)).toMatchObject({
      to: ESCROW.toLowerCase(),
      nonce: 7,
      value: booking.value,
      data: booking.data,
    });
  });

  it("sends a long transaction in several APDUs", async () => {
    const { account, fake } = setup();
    const data = `0x${"ab".repeat(1200)}` as const;
    const signed = (await account.signTransaction({ ...booking, data })) as TransactionSerializedEIP1559;
    const chunks = fake.received.filter((apdu) => apdu.startsWith("e004"));
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(chunks.slice(1).every((apdu) => apdu.startsWith("e00480"))).toBe(true);
    expect(await recoverTransactionAddress({ serializedTransaction: signed })).toBe(HARDHAT_1);
  });

  it("signs a legacy transaction with EIP-155 replay protection", async () => {
    const { account } = setup();
    const signed = (await account.signTransaction({
      chainId: 31337,
      type: "legacy",
      to: ESCROW,
      nonce: 1,
      gas: 21_000n,
      gasPrice: 1_000_000_000n,
      value: 1n,
    })) as TransactionSerializedLegacy;
    expect(await recoverTransactionAddress({ serializedTransaction: signed })).toBe(HARDHAT_1);
    expect([31337n * 2n + 35n, 31337n * 2n + 36n]).toContain(parseTransaction(signed).v);
  });

  it("turns a rejection on the device into a wallet rejection", async () => {
    const { account, fake } = setup();
    fake.decisions.push("reject");
    await expect(account.signTransaction(booking)).rejects.toBeInstanceOf(UserRejectedRequestError);
    expect(getLedgerStatus().kind).toBe("idle");
  });

  it("explains how to enable blind signing when the device needs it", async () => {
    const { account } = setup({ blindSigning: false });
    const error: unknown = await account.signTransaction(booking).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as LedgerError).description.key).toBe("blindSigning");
    expect(getLedgerStatus()).toEqual({ kind: "error", message: { key: "blindSigning" } });
  });

  it("refuses a signature by another key than the chosen account's", async () => {
    const { account } = setup({ address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" });
    const error: unknown = await account.signTransaction(booking).catch((e: unknown) => e);
    expect((error as LedgerError).description).toEqual({ key: "signerMismatch", values: { address: HARDHAT_1 } });
  });

  it("sends nothing to Ledger's servers when metadata is not allowed", async () => {
    const fetch = vi.fn(() => Promise.reject(new Error("offline")));
    vi.stubGlobal("fetch", fetch);
    const { account } = setup({ metadata: false });
    await account.signTransaction(booking);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("still signs when metadata is allowed but Ledger's servers are unreachable", async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    vi.stubGlobal("fetch", fetch);
    const { account } = setup({ metadata: true });
    const signed = (await account.signTransaction(booking)) as TransactionSerializedEIP1559;
    expect(fetch).toHaveBeenCalled();
    expect(await recoverTransactionAddress({ serializedTransaction: signed })).toBe(HARDHAT_1);
  });
});

describe("personal messages", () => {
  it.each([
    ["ASCII text", "Sign in to Earnest"],
    ["non-ASCII text", "预订 Café ✓"],
    ["raw bytes", { raw: Uint8Array.of(0, 1, 2, 255) }],
  ] as const)("signs %s", async (_, message) => {
    const { account } = setup();
    const signature = await account.signMessage({ message });
    expect(await verifyMessage({ address: HARDHAT_1, message, signature })).toBe(true);
  });
});

describe("EIP-712 typed data", () => {
  const coupon = {
    domain: { name: "Earnest", version: "1", chainId: 31337, verifyingContract: ESCROW },
    types: {
      Slot: [
        { name: "offering", type: "uint256" },
        { name: "startsAt", type: "uint64" },
      ],
      Coupon: [
        { name: "holder", type: "address" },
        { name: "slots", type: "Slot[]" },
        { name: "discount", type: "int16" },
        { name: "code", type: "string" },
        { name: "salt", type: "bytes32" },
        { name: "memo", type: "bytes" },
        { name: "transferable", type: "bool" },
        { name: "tiers", type: "uint8[3]" },
      ],
    },
    primaryType: "Coupon",
    message: {
      holder: HARDHAT_1,
      slots: [
        { offering: 1n, startsAt: 1_800_000_000n },
        { offering: 2n, startsAt: 1_800_003_600n },
      ],
      discount: -25,
      code: "春季 SPRING",
      salt: `0x${"11".repeat(32)}`,
      memo: `0x${"ee".repeat(300)}`,
      transferable: false,
      tiers: [1, 2, 3],
    },
  } as const;

  it("sends every struct definition and value, and the device's hash gives a valid signature", async () => {
    const { account, fake } = setup();
    const signature = await account.signTypedData(coupon);
    expect(await verifyTypedData({ address: HARDHAT_1, ...coupon, signature })).toBe(true);
    const rebuilt = fake.ethereum.lastTypedData;
    expect(rebuilt?.primaryType).toBe("Coupon");
    expect(rebuilt?.message).toMatchObject({
      code: "春季 SPRING",
      discount: -25n,
      transferable: false,
      tiers: [1n, 2n, 3n],
    });
    expect(fake.received.some((apdu) => apdu.startsWith("e00c0001"))).toBe(true); // full EIP-712, not the hashed mode
  });

  it("signs an ERC-2612 permit", async () => {
    const { account } = setup();
    const permit = {
      domain: { name: "Mock USD", version: "1", chainId: 31337n, verifyingContract: ESCROW },
      types: permitTypes,
      primaryType: "Permit",
      message: { owner: HARDHAT_1, spender: ESCROW, value: 40_000_000n, nonce: 0n, deadline: 2n ** 256n - 1n },
    } as const;
    const signature = await account.signTypedData(permit);
    expect(await verifyTypedData({ address: HARDHAT_1, ...permit, signature })).toBe(true);
  });
});
