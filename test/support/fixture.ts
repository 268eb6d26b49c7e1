// The in-process chain and the deployments the contract tests start from (each test loads one with
// `networkHelpers.loadFixture`, so it sees that deployment and nothing an earlier test did).
import { network } from "hardhat";
import type { ContractReturnType } from "@nomicfoundation/hardhat-viem/types";
import { keccak256, parseEther, toHex, type Address, type Hash } from "viem";
import { STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS, type OfferingTerms } from "@earnest/sdk";
import { DAY, HOUR, SLOT_LENGTH, terms } from "./terms.js";

export * from "./terms.js";
export { BookingStatus as Status } from "@earnest/sdk";

export const connection = await network.getOrCreate();
export const { viem, networkHelpers } = connection;

export const FEE_BPS = 250; // 2.5 % protocol fee in the default deployment
/** Deposit per seat of offering 2 (stablecoin, 6 decimals). */
export const USD_DEPOSIT = 25_000_000n;
/** Arbiter timeout of offering 1. */
export const ARBITER_TIMEOUT = 3 * DAY;
/** How long before its start a customer-signed check-in counts (the merchant's word counts from the start). */
export const CHECK_IN_OPENS = HOUR;

export type Fixture = Awaited<ReturnType<typeof deployWithOfferings>>;
export type Escrow = Fixture["escrow"];
export type Wallet = Fixture["customer"];
export type PublicClient = Fixture["publicClient"];
export type Stablecoin = ContractReturnType<"MockStablecoin">;
export type ReentrantReceiver = ContractReturnType<"ReentrantReceiver">;
export type RevertingReceiver = ContractReturnType<"RevertingReceiver">;
export type SmartWallet = ContractReturnType<"SmartWallet">;
export type Usdc = ContractReturnType<"MockUSDC">;

/** A detailsHash as the dApp would make it: keccak of the details and a salt. */
export function detailsHash(label: string): `0x${string}` {
  return keccak256(toHex(`details:${label}`));
}

export async function now(): Promise<number> {
  return Number(await networkHelpers.time.latest());
}

/** Deploys an escrow (which creates its extension) and returns it with its whole surface, `IEarnestEscrow`:
 *  the functions `EarnestEscrow` runs itself and those its fallback runs in `EscrowExtension`. */
export async function deployEarnestEscrow(owner: Address, feeRecipient: Address, feeBps: number) {
  const { address } = await viem.deployContract("EarnestEscrow", [owner, feeRecipient, feeBps]);
  return viem.getContractAt("IEarnestEscrow", address);
}

/** Deploys the escrow, tokens, and registers one merchant; nothing booked yet. */
export async function deployEscrow() {
  const [owner, feeRecipient, merchant, payout, customer, customer2, arbiter, stranger] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const escrow = await deployEarnestEscrow(owner.account.address, feeRecipient.account.address, FEE_BPS);
  const stablecoin = await viem.deployContract("MockStablecoin");
  await escrow.write.setTokenAllowed([stablecoin.address, true]);
  await escrow.write.registerMerchant([payout.account.address, "Chez Earnest"], { account: merchant.account });
  for (const c of [customer, customer2]) {
    await stablecoin.write.mint([c.account.address, 1_000_000_000n]);
  }
  const grid = await gridStart();
  return {
    escrow,
    stablecoin,
    publicClient,
    owner,
    feeRecipient,
    merchant,
    payout,
    customer,
    customer2,
    arbiter,
    stranger,
    grid,
  };
}

/** The addresses of the escrow fixture's eight wallets, for tests that assert nobody but the payees gained. */
export function fixtureAccounts(
  f: Pick<
    Fixture,
    "owner" | "feeRecipient" | "merchant" | "payout" | "customer" | "customer2" | "arbiter" | "stranger"
  >,
): Address[] {
  const wallets = [f.owner, f.feeRecipient, f.merchant, f.payout, f.customer, f.customer2, f.arbiter, f.stranger];
  return wallets.map((wallet) => wallet.account.address);
}

/** A slot grid origin aligned to the hour, a little in the past. */
async function gridStart(): Promise<number> {
  const t = await now();
  return t - (t % HOUR);
}

/** Escrow plus one ETH offering (id 1, with an arbiter) and one stablecoin offering (id 2). */
export async function deployWithOfferings() {
  const base = await deployEscrow();
  const { escrow, stablecoin, merchant, arbiter, grid } = base;
  await escrow.write.createOffering(
    [terms(grid, { arbiter: arbiter.account.address, arbiterTimeout: ARBITER_TIMEOUT })],
    {
      account: merchant.account,
    },
  );
  await escrow.write.createOffering(
    [terms(grid, { token: stablecoin.address, depositPerSeat: USD_DEPOSIT, seatsPerSlot: 10 })],
    { account: merchant.account },
  );
  return { ...base, ethOffering: 1, tokenOffering: 2 };
}

/** The start of a slot `days` days from now on the fixture's 1 h-aligned grid (2 h slots). */
export async function slotInDays(grid: number, days: number, slotLength = SLOT_LENGTH): Promise<number> {
  const target = (await now()) + days * DAY;
  return grid + Math.ceil((target - grid) / slotLength) * slotLength;
}

/** The fixture merchant creates an offering on the default terms with `overrides`; it gets the next id. */
export async function createOffering(
  f: Pick<Fixture, "escrow" | "merchant" | "grid">,
  overrides: Partial<OfferingTerms> = {},
): Promise<void> {
  await f.escrow.write.createOffering([terms(f.grid, overrides)], { account: f.merchant.account });
}

/** The owner allow-lists `token` and the fixture merchant creates an offering paid in it, on the default terms with
 *  `overrides`; it gets the next id. */
export async function createTokenOffering(
  f: Pick<Fixture, "escrow" | "owner" | "merchant" | "grid">,
  token: Address,
  overrides: Partial<OfferingTerms> = {},
): Promise<void> {
  await f.escrow.write.setTokenAllowed([token, true], { account: f.owner.account });
  await createOffering(f, { token, ...overrides });
}

/** An ERC-20 mock that mints to anyone. */
type Mintable = { address: Address; write: { mint: (args: readonly [Address, bigint]) => Promise<Hash> } };

/** The fixture plus the token mock `deploy` deploys, allow-listed, minted to the customer, with an offering of it
 *  (id 3) at `depositPerSeat`. For `loadFixture`, wrap it in a function of the test file's own. */
export async function deployWithTokenOffering<T extends Mintable>(deploy: () => Promise<T>, depositPerSeat: bigint) {
  const f = await deployWithOfferings();
  const mock = await deploy();
  await mock.write.mint([f.customer.account.address, 1_000_000_000n]);
  await createTokenOffering(f, mock.address, { depositPerSeat });
  return { ...f, mock, mockOffering: 3 };
}

/** The fixture, plus a second registered merchant (the `stranger` wallet is left free) with its own ETH offering 3. */
export async function deployWithTwoMerchants() {
  const f = await deployWithOfferings();
  const [, , , , , , , , merchant2, payout2] = await viem.getWalletClients();
  await f.escrow.write.registerMerchant([payout2.account.address, "Other Place"], { account: merchant2.account });
  await f.escrow.write.createOffering([terms(f.grid)], { account: merchant2.account });
  return { ...f, merchant2, payout2, otherOffering: 3 };
}

export const ODD_ETH_DEPOSIT = 1_000_000_000_000_007n;
export const ODD_USD_DEPOSIT = 12_345_679n;

/**
 * The fixture plus offerings with odd deposits, so that every rounding in the split shows:
 * offering 3 = ETH, 1_000_000_000_000_007 wei a seat, arbiter, tiers 48 h → 100 %, 24 h → 33.33 %, 1 h → 7.77 %;
 * offering 4 = stablecoin, 12.345679 a seat, arbiter, the default tiers.
 */
export async function deployWithOddOfferings() {
  const f = await deployWithOfferings();
  const arbiter = f.arbiter.account.address;
  await createOffering(f, {
    depositPerSeat: ODD_ETH_DEPOSIT,
    arbiter,
    arbiterTimeout: ARBITER_TIMEOUT,
    noShowRefundBps: 1_111,
    cancellationTiers: [
      { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
      { secondsBeforeStart: 24 * HOUR, refundBps: 3_333 },
      { secondsBeforeStart: HOUR, refundBps: 777 },
    ],
  });
  await createOffering(f, {
    token: f.stablecoin.address,
    depositPerSeat: ODD_USD_DEPOSIT,
    arbiter,
    arbiterTimeout: ARBITER_TIMEOUT,
  });
  return { ...f, oddEthOffering: 3, oddTokenOffering: 4 };
}

/** Deploys a RevertingReceiver (refuses ETH) and gives it 10 ETH to book with. */
export async function deployRevertingReceiver(): Promise<RevertingReceiver> {
  const receiver = await viem.deployContract("RevertingReceiver");
  await networkHelpers.setBalance(receiver.address, parseEther("10"));
  return receiver;
}

/**
 * The fixture plus three staff of the merchant, each holding one role: `checkInStaff` (STAFF_CHECK_IN),
 * `cancelStaff` (STAFF_CANCEL) and `couponStaff` (STAFF_COUPONS). Wallets 10 to 12, so that every other wallet of
 * the fixture stays what it was.
 */
export async function deployWithStaff() {
  const f = await deployWithOfferings();
  const [, , , , , , , , , , checkInStaff, cancelStaff, couponStaff] = await viem.getWalletClients();
  const grants = [
    [checkInStaff, STAFF_CHECK_IN],
    [cancelStaff, STAFF_CANCEL],
    [couponStaff, STAFF_COUPONS],
  ] as const;
  for (const [staff, role] of grants) {
    await f.escrow.write.setStaffRoles([staff.account.address, role], { account: f.merchant.account });
  }
  return { ...f, checkInStaff, cancelStaff, couponStaff };
}

/** Deploys a SmartWallet (an ERC-1271 contract account) controlled by `owner`, with 10 ETH to book with. */
export async function deploySmartWallet(owner: Wallet): Promise<SmartWallet> {
  const wallet = await viem.deployContract("SmartWallet", [owner.account.address]);
  await networkHelpers.setBalance(wallet.address, parseEther("10"));
  return wallet;
}

/** Deposit per seat of the USDC offering of `deployWithUsdc` (20 USDC, 6 decimals). */
export const USDC_DEPOSIT = 20_000_000n;
/** What `deployWithUsdc` mints to each of its two customers (1,000 USDC). */
export const USDC_MINTED = 1_000_000_000n;

/**
 * The fixture plus MockUSDC (Circle's USDC as Earnest meets it: permit without `eip712Domain()`, ERC-3009, a
 * blacklist run by its deployer, the fixture's owner), allow-listed, minted to both customers, with an offering of it
 * (id 3) at `USDC_DEPOSIT` a seat, 10 seats a slot, on the default terms otherwise.
 */
export async function deployWithUsdc() {
  const f = await deployWithOfferings();
  const usdc = await viem.deployContract("MockUSDC");
  for (const c of [f.customer, f.customer2]) await usdc.write.mint([c.account.address, USDC_MINTED]);
  await createTokenOffering(f, usdc.address, { depositPerSeat: USDC_DEPOSIT, seatsPerSlot: 10 });
  return { ...f, usdc, usdcOffering: 3 };
}
