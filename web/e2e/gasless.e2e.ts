// Booking with the fewest confirmations in a real browser: a customer with no ETH, holding only the USDC-like
// token, books an offering whose merchant runs a relayer with ONE signature and sees the pass verified; declining
// that signature sends nothing; and a wallet that speaks EIP-5792 approves and books a token offering in ONE
// confirmation.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, encodeFunctionData, erc20Abi, http, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getOfferings, mockUsdcAbi, parseMetadata } from "@earnest/sdk";
import { balance } from "./console-helpers.js";
import {
  ACCOUNTS,
  connect,
  freshChainForEachTest,
  openApp,
  PATIENCE,
  relayer,
  stack,
  type Stack,
  type WalletPage,
} from "./harness.js";

let s: Stack;

const SIGNING = ["eth_sendTransaction", "eth_signTypedData_v4", "personal_sign", "eth_sign", "wallet_sendCalls"];

/** The seeded offering named `name`, with the relayer its metadata names. */
async function offeringNamed(name: string) {
  const client = createPublicClient({ transport: http(s.node.url) });
  const { offerings } = await getOfferings(client, { escrow: s.node.escrow });
  const offering = offerings.find((o) => parseMetadata(o.metadata).name === name);
  assert.ok(offering, `an offering named ${name}`);
  return { ...offering, relayer: parseMetadata(offering.metadata).relayer };
}

async function tokenBalance(token: Address, owner: Address): Promise<bigint> {
  const data = encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  return BigInt(await s.node.rpc<Hex>("eth_call", [{ to: token, data }, "latest"]));
}

async function send(from: Address, to: Address, data: Hex): Promise<void> {
  const hash = await s.node.rpc<Hex>("eth_sendTransaction", [{ from, to, data }]);
  const receipt = await s.node.rpc<{ status: Hex }>("eth_getTransactionReceipt", [hash]);
  assert.equal(receipt.status, "0x1");
}

/** A fresh account the node does not hold, with `usdc` units of the USDC-like token and no ETH at all. */
async function usdcOnlyCustomer(usdc: bigint): Promise<{ key: Hex; address: Address }> {
  const key = generatePrivateKey();
  const { address } = privateKeyToAccount(key);
  await send(
    ACCOUNTS[0],
    s.node.usdc,
    encodeFunctionData({ abi: mockUsdcAbi, functionName: "mint", args: [address, usdc] }),
  );
  assert.equal(await balance(s, address), 0n, "no ETH");
  return { key, address };
}

async function chooseFirstSlot(w: WalletPage, offeringId: number): Promise<void> {
  await w.page.goto(`${s.appUrl}#/offerings/${offeringId}`);
  await w.page.getByTestId("slot").and(w.page.locator(":enabled")).first().click();
  await w.page.getByTestId("details-name").fill("Grace Hopper");
  await w.page.getByTestId("details-contact").fill("grace@example.org");
}

const signingRequests = async (w: WalletPage) => (await w.walletRequests()).filter((m) => SIGNING.includes(m));

describe("booking with the fewest confirmations", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("books without gas for a customer with only USDC: one signature, then the verified pass", async () => {
    await relayer(s);
    const lunch = await offeringNamed("Lunch set");
    assert.equal(lunch.relayer, s.relayerUrl);
    const customer = await usdcOnlyCustomer(100_000_000n);
    const w = await openApp(s, { privateKey: customer.key });
    await connect(w.page);
    await chooseFirstSlot(w, lunch.id);
    // No ETH: booking without gas is the only way, and the page says so.
    const pay = w.page.locator('[data-testid="pay"][data-path="relayAuthorization"]');
    await pay.waitFor();
    assert.equal(await w.page.getByTestId("path-gasless").isChecked(), true);
    assert.equal(await w.page.getByTestId("path-wallet").isDisabled(), true);
    await pay.click();
    await w.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });

    assert.deepEqual(await signingRequests(w), ["eth_signTypedData_v4"], "one signature, no transaction");
    assert.equal(await balance(s, customer.address), 0n, "still no ETH: the relayer paid the gas");
    assert.equal(await tokenBalance(s.node.usdc, customer.address), 100_000_000n - lunch.depositPerSeat);
    await w.close();
  });

  it("sends nothing to the relayer when the signature is declined", async () => {
    await relayer(s);
    const lunch = await offeringNamed("Lunch set");
    const customer = await usdcOnlyCustomer(100_000_000n);
    const w = await openApp(s, { privateKey: customer.key });
    await connect(w.page);
    await chooseFirstSlot(w, lunch.id);
    await w.page.locator('[data-testid="pay"][data-path="relayAuthorization"]').waitFor();
    await w.rejectNext();
    await w.page.getByTestId("pay").click();
    const toast = w.page.locator('[data-testid="tx-toast"][data-step="failed"]');
    await toast.waitFor();
    assert.match((await toast.textContent()) ?? "", /declined in your wallet/);
    assert.equal(await tokenBalance(s.node.usdc, customer.address), 100_000_000n, "nothing was paid");
    assert.equal(await w.page.getByTestId("pass").count(), 0);
    await w.close();
  });

  it("approves and books in one EIP-5792 confirmation", async () => {
    // Account #0 holds mUSD but has never approved the escrow; its wallet batches calls atomically.
    const w = await openApp(s, { account: 0, eip5792: true });
    await connect(w.page);
    await chooseFirstSlot(w, 2);
    const pay = w.page.locator('[data-testid="pay"][data-path="batch"]');
    await pay.waitFor();
    await pay.click();
    await w.page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor({ timeout: PATIENCE });
    assert.deepEqual(await signingRequests(w), ["wallet_sendCalls"], "one confirmation for approve + book");
    const allowance = encodeFunctionData({
      abi: erc20Abi,
      functionName: "allowance",
      args: [ACCOUNTS[0], s.node.escrow],
    });
    assert.equal(
      BigInt(await s.node.rpc<Hex>("eth_call", [{ to: s.node.stablecoin, data: allowance }, "latest"])),
      0n,
      "exactly the deposit was approved and taken",
    );
    await w.close();
  });
});
