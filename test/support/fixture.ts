// Shared setup for the TypeScript tests of the settlement core.
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroAddress } from "viem";
import type { OfferingTerms } from "@earnest/sdk";

export const connection = await network.getOrCreate();
export const { viem, networkHelpers } = connection;

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const FEE_BPS = 250; // 2.5 % protocol fee in the default deployment

export type Tier = { secondsBeforeStart: number; refundBps: number };

/** 48 h → 100 %, 24 h → 50 %, else nothing. */
export const DEFAULT_TIERS: Tier[] = [
  { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
  { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
];

/** A detailsHash as the dApp would make it: keccak of the details and a salt. */
export function detailsHash(label: string): `0x${string}` {
  return keccak256(toHex(`details:${label}`));
}

export async function now(): Promise<number> {
  return Number(await networkHelpers.time.latest());
}

/** Deploys the escrow, tokens, and registers one merchant; nothing booked yet. */
export async function deployEscrow() {
  const [owner, feeRecipient, merchant, payout, customer, customer2, arbiter, stranger] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const escrow = await viem.deployContract("EarnestEscrow", [
    owner.account.address,
    feeRecipient.account.address,
    FEE_BPS,
  ]);
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

/** A slot grid origin aligned to the hour, a little in the past. */
async function gridStart(): Promise<number> {
  const t = await now();
  return t - (t % HOUR);
}

/** What `createOffering` takes (the sdk types it from the ABI). */
export type OfferingTermsInput = OfferingTerms;

/** Terms of a typical dinner offering: 2 h slots, 4 seats, 0.01 ETH a seat, arbiter optional. */
export function terms(grid: number, overrides: Partial<OfferingTermsInput> = {}): OfferingTermsInput {
  return {
    token: zeroAddress,
    depositPerSeat: parseEther("0.01"),
    seatsPerSlot: 4,
    slotLength: 2 * HOUR,
    firstSlotStart: grid,
    minLeadTime: HOUR,
    maxAdvance: 90 * DAY,
    noShowRefundBps: 2_000,
    disputeWindow: DAY,
    arbiter: zeroAddress,
    arbiterTimeout: 0,
    cancellationTiers: DEFAULT_TIERS,
    metadata: '{"name":"Dinner","tz":"Europe/Paris"}',
    ...overrides,
  };
}

/** Escrow plus one ETH offering (id 1, with an arbiter) and one stablecoin offering (id 2). */
export async function deployWithOfferings() {
  const base = await deployEscrow();
  const { escrow, stablecoin, merchant, arbiter, grid } = base;
  await escrow.write.createOffering([terms(grid, { arbiter: arbiter.account.address, arbiterTimeout: 3 * DAY })], {
    account: merchant.account,
  });
  await escrow.write.createOffering(
    [terms(grid, { token: stablecoin.address, depositPerSeat: 25_000_000n, seatsPerSlot: 10 })],
    { account: merchant.account },
  );
  return { ...base, ethOffering: 1, tokenOffering: 2 };
}

/** The start of a slot `days` days from now on the fixture's 1 h-aligned grid (2 h slots). */
export async function slotInDays(grid: number, days: number, slotLength = 2 * HOUR): Promise<number> {
  const target = (await now()) + days * DAY;
  return grid + Math.ceil((target - grid) / slotLength) * slotLength;
}

/** Booking id: `offeringId << 72 | slotStart << 32 | n`, n counting the slot's bookings from 1. */
export function bookingId(offeringId: number, slotStart: number, n: number): bigint {
  return (BigInt(offeringId) << 72n) | (BigInt(slotStart) << 32n) | BigInt(n);
}

export { BookingStatus as Status } from "@earnest/sdk";
