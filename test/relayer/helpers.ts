// Shared by the relayer tests and its benchmark: a Hardhat node with the escrow, MockUSDC (ERC-3009 and permit,
// like Circle's) and MockStablecoin (permit only) allow-listed, offerings of two served merchants, one of a merchant
// the relayer does not serve and one in ETH; customers with a fresh key, no ETH and both stablecoins.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createWalletClient,
  getAddress,
  http,
  parseUnits,
  toHex,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { mockStablecoinAbi, mockUsdcAbi, type RelayerRefusalBody } from "@earnest/sdk";
import { Earnest, startChain, type Chain, type Terms } from "../notifier/helpers.js";
import { root } from "../support/processes.js";
import { newIntent, type IntentWithDetails, type TokenDomain } from "../support/relayer.js";
import { testAccount } from "../support/test-accounts.js";

export { Earnest, type Chain, type Terms };

/** Hardhat account #12, the relayer's key in the local stack. */
export const RELAYER_KEY: Hex = toHex(testAccount(12).getHdKey().privateKey!);
/** A deposit of 25 USDC a seat. */
export const DEPOSIT = parseUnits("25", 6);

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "earnest-relayer-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  return JSON.parse(readFileSync(path.join(root, `artifacts/contracts/mocks/${name}.sol/${name}.json`), "utf8")) as {
    abi: Abi;
    bytecode: Hex;
  };
}

export type Offering = { offeringId: number; terms: Terms; slot: number };

export type World = {
  chain: Chain;
  chainId: number;
  escrow: Earnest;
  usdc: TokenDomain;
  musd: TokenDomain;
  /** Served merchants (accounts #1, #2) and one the relayer does not serve (#3). */
  merchants: { a: Address; b: Address; other: Address };
  offerings: { usdcA: Offering; usdcB: Offering; musdA: Offering; ethA: Offering; usdcOther: Offering };
  /** A new customer: a fresh key, zero ETH, 1,000 USDC and 1,000 mUSD. */
  newCustomer: () => Promise<LocalAccount>;
  /** A fresh intent for `offering`'s slot, valid for `validFor` seconds from the chain's time. */
  intent: (customer: Address, offering: Offering, validFor?: number, seats?: number) => Promise<IntentWithDetails>;
  stop: () => Promise<void>;
};

export async function setupWorld(): Promise<World> {
  const chain = await startChain();
  try {
    return await populate(chain);
  } catch (error) {
    await chain.stop(); // a node left running would keep the test process alive
    throw error;
  }
}

async function populate(chain: Chain): Promise<World> {
  const chainId = await chain.client.getChainId();
  const escrow = await Earnest.deploy(chain);
  const deployer = createWalletClient({ transport: http(chain.url), account: chain.accounts[0] });
  const deploy = async (name: string) => {
    const { abi, bytecode } = artifact(name);
    const hash = await deployer.deployContract({ abi, bytecode, chain: null });
    return getAddress((await chain.client.waitForTransactionReceipt({ hash })).contractAddress!);
  };
  const usdc: TokenDomain = { address: await deploy("MockUSDC"), name: "USD Coin", version: "2" };
  const musd: TokenDomain = { address: await deploy("MockStablecoin"), name: "Mock USD", version: "1" };
  await escrow.send(chain.accounts[0], "setTokenAllowed", [usdc.address, true]);
  await escrow.send(chain.accounts[0], "setTokenAllowed", [musd.address, true]);

  const [a, b, other] = [chain.accounts[1], chain.accounts[2], chain.accounts[3]].map((m) => getAddress(m));
  for (const [merchant, name] of [
    [a, "Trattoria Relay"],
    [b, "Tea Relay"],
    [other, "Not Served"],
  ] as const) {
    await escrow.send(merchant, "registerMerchant", [merchant, name]);
  }
  const offer = async (merchant: Address, token: Address, depositPerSeat: bigint): Promise<Offering> => {
    const created = await escrow.createOffering(merchant, await escrow.terms({ token, depositPerSeat }));
    return { ...created, slot: await escrow.slot(created.terms, 3) };
  };
  const offerings = {
    usdcA: await offer(a, usdc.address, DEPOSIT),
    usdcB: await offer(b, usdc.address, DEPOSIT),
    musdA: await offer(a, musd.address, DEPOSIT),
    ethA: await offer(a, "0x0000000000000000000000000000000000000000", 10n ** 16n),
    usdcOther: await offer(other, usdc.address, DEPOSIT),
  };

  const mint = async (token: Address, abi: Abi, to: Address) => {
    const hash = await deployer.writeContract({
      address: token,
      abi,
      functionName: "mint",
      args: [to, parseUnits("1000", 6)],
      chain: null,
    });
    await chain.client.waitForTransactionReceipt({ hash });
  };
  return {
    chain,
    chainId,
    escrow,
    usdc,
    musd,
    merchants: { a, b, other },
    offerings,
    newCustomer: async () => {
      const customer = privateKeyToAccount(generatePrivateKey());
      await mint(usdc.address, mockUsdcAbi, customer.address);
      await mint(musd.address, mockStablecoinAbi, customer.address);
      return customer;
    },
    intent: async (customer, offering, validFor = 600, seats = 1) =>
      newIntent({
        customer,
        offeringId: offering.offeringId,
        slotStart: offering.slot,
        seats,
        deadline: (await escrow.now()) + validFor,
      }),
    stop: () => chain.stop(),
  };
}

export type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

/** POSTs `body` (JSON unless a string) to the relayer and returns status and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/** The refusal's error object, asserting that the answer is a refusal. */
export function refusal(answer: Answer): RelayerRefusalBody["error"] {
  const error = (answer.body as Partial<RelayerRefusalBody>).error;
  if (!error) throw new Error(`Not a refusal: ${answer.status} ${JSON.stringify(answer.body)}`);
  return error;
}
