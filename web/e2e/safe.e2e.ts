// A Safe as the merchant, in a real browser: a test page plays Safe's web interface (web/e2e/safe-host) and frames
// the console as a Safe App, for a Safe on the local chain with two owners who must both sign. The claim the console
// sends becomes a proposal, shown as waiting for the other signers with nothing paid; once the second owner executes
// it, the page follows it on chain to its confirmation and the Safe is paid exactly the claimable net.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FrameLocator, Page } from "playwright-core";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getAddress,
  hashTypedData,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type Hash,
  type Hex,
  type TypedDataDomain,
} from "viem";
import { hardhat } from "viem/chains";
import {
  BookingStatus,
  CheckInRule,
  couponDomain,
  couponTypes,
  decodeCouponLink,
  earnestEscrowAbi,
  MAX_FEE_BPS,
  split,
} from "@earnest/sdk";
import {
  createSafe,
  deploySafeContracts,
  execSafeTransactionMined,
  safeAbi,
  safeSignature,
  safeTransaction,
  signSafeTransaction,
  submitSafeTransaction,
  type Safe,
  type SafeContracts,
  type SafeTransaction,
  type Wallet,
} from "../../test/support/safe.js";
import { testAccount } from "../../test/support/test-accounts.js";
import { balance, chainNow } from "./console-helpers.js";
import { freshChainForEachTest, increaseTime, PATIENCE, stack, type Stack } from "./harness.js";

const HOUR = 3600;
/** The ERC-1271 answer for a valid signature: `isValidSignature.selector`. */
const ERC1271_MAGIC_VALUE = "0x1626ba7e";
const SAFE_NAME = "Safe Supper Club";
const HOST_PAGE = path.join(import.meta.dirname, "safe-host", "index.html");

let s: Stack;

/** The Safe, 2-of-2, owned by the free accounts #12 and #13, registered as a merchant paid to itself, with one ETH
 *  offering (0.01 ETH a seat; no arbiter: a 2 h dispute window; a quarter back to a customer who does not come). */
async function safeMerchant() {
  const chain = defineChain({ ...hardhat, rpcUrls: { default: { http: [s.node.url] } } });
  const wallet = (index: number): Wallet =>
    createWalletClient({ account: testAccount(index), chain, transport: http(s.node.url) });
  const client = createPublicClient({ chain, transport: http(s.node.url) });
  const [ownerA, ownerB, customer] = [wallet(12), wallet(13), wallet(6)];
  const contracts = await deploySafeContracts(ownerA);
  const safe = await createSafe(contracts, [ownerA, ownerB], 2);
  const escrow = { address: s.node.escrow, abi: earnestEscrowAbi } as const;
  const asSafe = (data: Hex) => execSafeTransactionMined(safe, { to: escrow.address, data });

  await asSafe(encodeFunctionData({ ...escrow, functionName: "registerMerchant", args: [safe.address, SAFE_NAME] }));
  const firstSlotStart = (Math.floor((await chainNow(s)) / HOUR) + 3) * HOUR;
  const noShowRefundBps = 2_500;
  const created = await asSafe(
    encodeFunctionData({
      ...escrow,
      functionName: "createOffering",
      args: [
        {
          token: zeroAddress,
          depositPerSeat: parseEther("0.01"),
          seatsPerSlot: 4,
          slotLength: HOUR,
          firstSlotStart,
          minLeadTime: HOUR,
          maxAdvance: 30 * 24 * HOUR,
          noShowRefundBps,
          disputeWindow: 2 * HOUR,
          arbiter: zeroAddress,
          arbiterTimeout: 0,
          checkInRule: CheckInRule.MerchantWord,
          maxFeeBps: MAX_FEE_BPS,
          cancellationTiers: [{ secondsBeforeStart: 24 * HOUR, refundBps: 5_000 }],
          metadata: JSON.stringify({ name: "Supper", timeZone: "Europe/London" }),
        },
      ],
    }),
  );
  const [offering] = parseEventLogs({
    abi: earnestEscrowAbi,
    eventName: "OfferingCreated",
    logs: (await client.getTransactionReceipt({ hash: created })).logs,
  });
  return {
    safe,
    contracts,
    client,
    escrow,
    customer,
    offeringId: offering.args.offeringId,
    firstSlotStart,
    noShowRefundBps,
  };
}

/** `safeMerchant` and a booking of customer #6 whose slot and dispute window are over, so that it can be claimed as
 *  a no-show now, for `net`. */
async function safeMerchantWithClaimableBooking() {
  const f = await safeMerchant();
  const { client, customer, escrow, offeringId, firstSlotStart } = f;
  const booked = await customer.writeContract({
    ...escrow,
    functionName: "book",
    args: [offeringId, firstSlotStart, 2, keccak256(toHex("safe merchant booking"))],
    value: parseEther("0.02"),
  });
  const [booking] = parseEventLogs({
    abi: earnestEscrowAbi,
    eventName: "Booked",
    logs: (await client.waitForTransactionReceipt({ hash: booked })).logs,
  });
  // Past the slot and its dispute window: the customer did not come, and the merchant may claim.
  await increaseTime(s.node, firstSlotStart + HOUR + 2 * HOUR + 60 - (await chainNow(s)));
  const { bookingId, amount, feeBps } = booking.args;
  return { ...f, bookingId, net: split(amount, f.noShowRefundBps, feeBps).merchantShare };
}

type Proposal = { transaction: SafeTransaction; signatures: Hex; executedBy?: Hash };

/** EIP-712 typed data as it crosses postMessage: integers may be decimal or hex strings. */
type JsonTypedData = {
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  domain: Record<string, unknown>;
  message: Record<string, unknown>;
};

/** The digest a wallet signs for `typed`, its integers read back as bigints by their types. */
function typedDataDigest(typed: JsonTypedData): Hex {
  const values = (type: string, value: unknown): unknown => {
    const struct = typed.types[type];
    if (struct) {
      const object = value as Record<string, unknown>;
      return Object.fromEntries(struct.map((field) => [field.name, values(field.type, object[field.name])]));
    }
    return /^u?int\d*$/.test(type) && (typeof value === "string" || typeof value === "number") ? BigInt(value) : value;
  };
  return hashTypedData({
    domain: values("EIP712Domain", typed.domain) as TypedDataDomain,
    types: typed.types,
    primaryType: typed.primaryType,
    message: values(typed.primaryType, typed.message) as Record<string, unknown>,
  });
}

const chainReader = () => createPublicClient({ transport: http(s.node.url) });

/** Safe's side of the Safe Apps protocol for `safe`: what the host page's binding answers, by SDK method. A
 *  transaction the app sends becomes a proposal signed by the first owner only, recorded in `proposals`. */
function safeHost(safe: Safe, contracts: SafeContracts, proposals: Map<Hash, Proposal>, asked: string[]) {
  const chainId = safe.owners[0].chain.id;
  const answers: Record<string, (params: never) => unknown> = {
    getSafeInfo: async () => ({
      safeAddress: safe.address,
      chainId,
      threshold: safe.threshold,
      owners: safe.owners.map((owner) => owner.account.address),
      isReadOnly: false,
      nonce: Number(await chainReader().readContract({ address: safe.address, abi: safeAbi, functionName: "nonce" })),
      implementation: contracts.singleton,
      modules: [],
      fallbackHandler: contracts.fallbackHandler,
      guard: zeroAddress,
      version: "1.5.0",
    }),
    getChainInfo: () => ({
      chainName: "Hardhat",
      chainId: String(chainId),
      shortName: "hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18, logoUri: "" },
      blockExplorerUriTemplate: { address: "", txHash: "", api: "" },
    }),
    getEnvironmentInfo: () => ({ origin: hostOrigin }),
    rpcCall: ({ call, params }: { call: string; params: unknown[] }) => s.node.rpc(call, params),
    sendTransactions: async ({ txs }: { txs: { to: Address; value: string; data: Hex }[] }) => {
      if (txs.length !== 1) throw new Error("this host proposes one call at a time (no MultiSend deployed)");
      const [tx] = txs;
      const transaction = await safeTransaction(safe, { to: tx.to, data: tx.data, value: BigInt(tx.value) });
      const safeTxHash = await chainReader().readContract({
        address: safe.address,
        abi: safeAbi,
        functionName: "getTransactionHash",
        args: [
          transaction.to,
          transaction.value,
          transaction.data,
          transaction.operation,
          transaction.safeTxGas,
          transaction.baseGas,
          transaction.gasPrice,
          transaction.gasToken,
          transaction.refundReceiver,
          transaction.nonce,
        ],
      });
      proposals.set(safeTxHash, {
        transaction,
        signatures: await signSafeTransaction(safe, transaction, [safe.owners[0]]),
      });
      return { safeTxHash };
    },
    // As Safe{Wallet} answers once enough owners have confirmed the message: the owners' SafeMessage signatures
    // over the typed data's EIP-712 digest, which the Safe's fallback handler checks for ERC-1271.
    signTypedMessage: async ({ typedData }: { typedData: JsonTypedData }) => ({
      signature: await safeSignature(safe, typedDataDigest(typedData)),
    }),
    getTxBySafeTxHash: ({ safeTxHash }: { safeTxHash: Hash }) => {
      const proposal = proposals.get(safeTxHash);
      if (!proposal) throw new Error(`no Safe transaction ${safeTxHash}`);
      return {
        safeAddress: safe.address,
        txId: `multisig_${safe.address}_${safeTxHash}`,
        txStatus: proposal.executedBy ? "SUCCESS" : "AWAITING_CONFIRMATIONS",
        txHash: proposal.executedBy ?? null,
      };
    },
  };
  return async (
    method: string,
    params: unknown,
  ): Promise<{ ok: true; data: unknown } | { ok: false; error: string }> => {
    asked.push(method);
    const answer = answers[method];
    if (!answer) return { ok: false, error: `The test Safe host does not answer ${method}.` };
    try {
      return { ok: true, data: await answer(params as never) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** The (first) transaction toast at `step`. */
const toast = (app: FrameLocator, step: string) => app.locator(`[data-testid="tx-toast"][data-step="${step}"]`).first();

/** The host page, served on a loopback port of its own: another origin than the dApp's, as Safe's web interface
 *  is, and a secure context as https would be. */
let hostOrigin = "";
async function serveSafeHost(): Promise<Server> {
  const html = await readFile(HOST_PAGE, "utf8");
  const server = createServer((_, response) => response.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return server;
}

async function openSafeHost(page: Page, hashPath: string): Promise<FrameLocator> {
  await page.goto(`${hostOrigin}/?app=${encodeURIComponent(`${s.appUrl}#${hashPath}`)}`);
  return page.frameLocator("#app");
}

describe("a Safe as the merchant, in Safe's web interface", () => {
  let host: Server;
  before(async () => {
    s = await stack();
    host = await serveSafeHost();
  });
  after(() => host.close());
  freshChainForEachTest();

  it("proposes the claim, shows it waiting for the other signer, and follows its execution to paid", async () => {
    const f = await safeMerchantWithClaimableBooking();
    const proposals = new Map<Hash, Proposal>();
    const asked: string[] = [];
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(PATIENCE);
    await context.exposeFunction("safeHostAnswer", safeHost(f.safe, f.contracts, proposals, asked));
    const page = await context.newPage();
    const logs: string[] = [];
    page.on("console", (message) => logs.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => logs.push(`pageerror: ${error.message}`));
    const app = await openSafeHost(page, "/merchant/claim");

    // The dApp found itself framed, loaded the Safe connector and connected to the Safe: no wallet picker.
    await app
      .locator(`[data-testid="account"][title="${f.safe.address}"]`)
      .waitFor()
      .catch((error: unknown) => {
        throw new Error(`not connected to the Safe; host asked ${JSON.stringify(asked)}; ${logs.join("\n")}`, {
          cause: error,
        });
      });
    assert.ok(asked.includes("getSafeInfo"));
    const row = app.locator(`[data-testid="claimable"][data-booking-id="${f.bookingId}"]`);
    await row.waitFor();
    const total = app.locator(`[data-testid="claim-total"][data-token="${zeroAddress}"]`);
    assert.equal(BigInt((await total.getAttribute("data-amount")) ?? ""), f.net);

    const safeBefore = await balance(s, f.safe.address);
    await app.getByTestId("claim-all").click();

    // Proposed: the first owner signed, the Safe waits for the second; nothing was claimed on chain.
    const proposed = toast(app, "proposed");
    await proposed.waitFor();
    assert.match((await proposed.textContent()) ?? "", /waiting for the Safe's other signers/);
    assert.equal(proposals.size, 1);
    const [[safeTxHash, proposal]] = [...proposals];
    const escrowBooking = () => f.client.readContract({ ...f.escrow, functionName: "getBooking", args: [f.bookingId] });
    assert.equal((await escrowBooking()).status, BookingStatus.Booked);
    assert.equal(await balance(s, f.safe.address), safeBefore);
    // It stays waiting while the chain moves on without the execution.
    await s.node.rpc("evm_mine");
    await page.waitForTimeout(2_500);
    assert.equal(await toast(app, "proposed").count(), 1);
    assert.equal(await toast(app, "confirmed").count(), 0);

    // The second owner adds their signature and executes it, paying the gas.
    const [ownerA, ownerB] = f.safe.owners;
    const signatures = await signSafeTransaction(f.safe, proposal.transaction, [ownerA, ownerB]);
    assert.ok(signatures.includes(proposal.signatures.slice(2)), "owner A's proposal signature is part of it");
    const executed = await submitSafeTransaction(f.safe, proposal.transaction, signatures, ownerB);
    proposal.executedBy = executed;
    assert.equal((await f.client.waitForTransactionReceipt({ hash: executed })).status, "success");
    assert.notEqual(executed, safeTxHash);

    // The page followed the proposal to the executing transaction and confirmed it.
    await toast(app, "confirmed").waitFor();
    assert.equal(await balance(s, f.safe.address), safeBefore + f.net);
    assert.notEqual((await escrowBooking()).status, BookingStatus.Booked);

    // The claim's receipt (ClaimPanel) names what was paid and the executing transaction, not the Safe's hash.
    const receipt = app.getByTestId("claim-receipt");
    await receipt.waitFor();
    assert.equal(
      BigInt(
        (await receipt
          .locator(`[data-testid="receipt-total"][data-token="${zeroAddress}"]`)
          .getAttribute("data-amount")) ?? "",
      ),
      f.net,
    );
    assert.equal(await receipt.getByTestId("receipt-tx").getAttribute("data-hash"), executed);
    await context.close();
  });

  it("signs a coupon as the Safe (ERC-1271) that the escrow honours for a customer", async () => {
    const f = await safeMerchant();
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(PATIENCE);
    const asked: string[] = [];
    await context.exposeFunction("safeHostAnswer", safeHost(f.safe, f.contracts, new Map(), asked));
    const page = await context.newPage();
    const app = await openSafeHost(page, "/merchant/coupons");
    await app.locator(`[data-testid="account"][title="${f.safe.address}"]`).waitFor();

    await app.getByTestId("coupon-offering").selectOption(String(f.offeringId));
    await app.getByTestId("coupon-discount").fill("0.002");
    await app.getByTestId("coupon-sign").click();
    const link = await app.getByTestId("coupon-link").first().inputValue();
    assert.ok(asked.includes("signTypedMessage"));
    const { coupon, signature } = decodeCouponLink(link.slice(link.lastIndexOf("/") + 1));
    assert.equal(getAddress(coupon.signer), f.safe.address, "the coupon names the Safe as its signer");
    // No owner's own signature: the Safe's, which only its contract can check.
    const digest = hashTypedData({
      domain: couponDomain(31337, s.node.escrow),
      types: couponTypes,
      primaryType: "Coupon",
      message: coupon,
    });
    const answer = await f.client.readContract({
      address: f.safe.address,
      abi: safeAbi,
      functionName: "isValidSignature",
      args: [digest, signature],
    });
    assert.equal(answer, ERC1271_MAGIC_VALUE);

    // A customer redeems it: the escrow checks the Safe's signature and takes the discounted deposit.
    const booked = await f.customer.writeContract({
      ...f.escrow,
      functionName: "bookWithCoupon",
      args: [f.offeringId, f.firstSlotStart, 1, keccak256(toHex("safe coupon booking")), coupon, signature],
      value: parseEther("0.008"),
    });
    const [booking] = parseEventLogs({
      abi: earnestEscrowAbi,
      eventName: "Booked",
      logs: (await f.client.waitForTransactionReceipt({ hash: booked })).logs,
    });
    assert.equal(booking.args.amount, parseEther("0.008"));
    await context.close();
  });
});
