// The connector inside a wagmi config: connect picks the remembered account, signatures happen on the (fake)
// device, and the signed transaction goes out through the config's own transport for the chain. Each test makes
// its own config and connects it itself; only the device (the page's single Ledger) is shared, as on a real page.
import { custom, keccak256, recoverTransactionAddress, type Hex, type TransactionSerialized } from "viem";
import { hardhat } from "viem/chains";
import { createConfig, type Config } from "wagmi";
import { connect, disconnect, getConnection, sendTransaction, signMessage } from "wagmi/actions";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ledger } from "./connector";
import { saveAccountChoice } from "./preferences";
import { FakeLedger } from "./testing/fakeLedger";
import { fakeTransport } from "./testing/fakeTransport";

const HARDHAT_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const ESCROW = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const fake = new FakeLedger();
const configs: Config[] = [];

/** The dApp's RPC for the chain, answering what wagmi asks before a send; `sent` collects the raw transactions. */
function rpc(sent: Hex[]) {
  const answer = (method: string, params: unknown): unknown => {
    switch (method) {
      case "eth_chainId":
        return "0x7a69";
      case "eth_getTransactionCount":
        return "0x3";
      case "eth_estimateGas":
        return "0x5208";
      case "eth_maxPriorityFeePerGas":
        return "0x3b9aca00";
      case "eth_getBlockByNumber":
        return { baseFeePerGas: "0x3b9aca00", number: "0x10", hash: `0x${"00".repeat(32)}`, transactions: [] };
      case "eth_sendRawTransaction": {
        const raw = (params as [Hex])[0];
        sent.push(raw);
        return keccak256(raw);
      }
      default:
        throw new Error(`unexpected RPC ${method}`);
    }
  };
  return custom({
    request: ({ method, params }: { method: string; params?: unknown }) => Promise.resolve(answer(method, params)),
  });
}

/** A wagmi config with the Ledger connector, not connected yet, with BIP-44 account 3 remembered. */
function setup() {
  saveAccountChoice({ scheme: "bip44", index: 2 });
  const sent: Hex[] = [];
  const config = createConfig({ chains: [hardhat], connectors: [ledger()], transports: { [hardhat.id]: rpc(sent) } });
  configs.push(config);
  return { config, sent };
}

/** The same, connected to the remembered account. */
async function connected() {
  const { config, sent } = setup();
  await connect(config, { connector: config.connectors[0] });
  return { config, sent };
}

beforeAll(() => {
  window.__earnestLedgerTransport = () => Promise.resolve(fakeTransport(fake).factory);
});

afterEach(async () => {
  for (const config of configs.splice(0)) await disconnect(config);
  localStorage.clear();
});

afterAll(() => {
  delete window.__earnestLedgerTransport;
});

describe("ledger connector", () => {
  it("connects to the remembered account", async () => {
    const { config } = setup();
    const { accounts, chainId } = await connect(config, { connector: config.connectors[0] });
    expect(accounts).toEqual([HARDHAT_2]);
    expect(chainId).toBe(hardhat.id);
    expect(getConnection(config).address).toBe(HARDHAT_2);
  });

  it("signs messages on the device", async () => {
    const { config } = await connected();
    const before = fake.received.filter((apdu) => apdu.startsWith("e008")).length;
    await signMessage(config, { message: "hello" });
    expect(fake.received.filter((apdu) => apdu.startsWith("e008")).length).toBe(before + 1);
  });

  it("broadcasts the device-signed transaction through the dApp's RPC", async () => {
    const { config, sent } = await connected();
    await sendTransaction(config, { to: ESCROW, value: 1n });
    expect(sent).toHaveLength(1);
    expect(await recoverTransactionAddress({ serializedTransaction: sent[0] as TransactionSerialized })).toBe(
      HARDHAT_2,
    );
  });

  // wagmi hands viem the address when the dApp names the account; viem then asks the transport to send.
  it("still signs on the device when the dApp names the account by address", async () => {
    const { config, sent } = await connected();
    await sendTransaction(config, { account: HARDHAT_2, to: ESCROW, value: 2n });
    expect(sent).toHaveLength(1);
    expect(await recoverTransactionAddress({ serializedTransaction: sent[0] as TransactionSerialized })).toBe(
      HARDHAT_2,
    );
  });
});
