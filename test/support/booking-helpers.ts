// Helpers for the booking and registry tests (config, merchants, offerings, book, book-with-coupon,
// book-with-permit, views): coupon and permit signing, balances, and the Booked event of a transaction.
import assert from "node:assert/strict";
import { parseEther, parseEventLogs, zeroAddress, zeroHash, type Address, type Hash, type Hex } from "viem";
import { deployWithOfferings, networkHelpers, terms, viem } from "./fixture.js";
import {
  couponDomain as sdkCouponDomain,
  couponTypes as COUPON_TYPES,
  noCoupon as NO_COUPON,
  permitArgs,
  permitTypes as PERMIT_TYPES,
  type Coupon,
  type PermitArgs as PermitArg,
} from "@earnest/sdk";

export { COUPON_TYPES, NO_COUPON, PERMIT_TYPES, type Coupon, type PermitArg };

export type Fixture = Awaited<ReturnType<typeof deployWithOfferings>>;
export type Escrow = Fixture["escrow"];
export type Stablecoin = Fixture["stablecoin"];
export type Wallet = Fixture["customer"];

/** Native ETH as the escrow names it. */
export const ETH: Address = zeroAddress;
/** Deposit per seat of offering 1 (ETH). */
export const ETH_DEPOSIT = parseEther("0.01");
/** Deposit per seat of offering 2 (stablecoin, 6 decimals). */
export const USD_DEPOSIT = 25_000_000n;
/** Min lead time of the fixture's offerings. */
export const MIN_LEAD_TIME = 3600;
/** Max advance of the fixture's offerings. */
export const MAX_ADVANCE = 90 * 24 * 3600;
/** Slot length of the fixture's offerings. */
export const SLOT_LENGTH = 2 * 3600;

/** The escrow's EIP-712 domain on this chain (or another chain id, for the negative tests). */
export async function couponDomain(escrow: Address, chainId?: number) {
  return sdkCouponDomain(chainId ?? (await (await viem.getPublicClient()).getChainId()), escrow);
}

/** `signer` signs `coupon` for the escrow at `escrow` (or another domain, for the negative tests). */
export async function signCoupon(
  signer: Wallet,
  escrow: Address,
  coupon: Coupon,
  domainOverrides: { chainId?: number; verifyingContract?: Address } = {},
): Promise<Hex> {
  const domain = await couponDomain(domainOverrides.verifyingContract ?? escrow, domainOverrides.chainId);
  return signer.signTypedData({
    account: signer.account,
    domain,
    types: COUPON_TYPES,
    primaryType: "Coupon",
    message: {
      offeringId: coupon.offeringId,
      discount: coupon.discount,
      maxRedemptions: coupon.maxRedemptions,
      expiresAt: coupon.expiresAt,
      customer: coupon.customer,
      salt: coupon.salt,
    },
  });
}

/** A coupon for `offeringId` valid for a week, with a distinct salt. */
export async function makeCoupon(
  offeringId: number,
  discount: bigint,
  overrides: Partial<Coupon> = {},
): Promise<Coupon> {
  const latest = Number(await networkHelpers.time.latest());
  return {
    offeringId,
    discount,
    maxRedemptions: 10,
    expiresAt: latest + 7 * 24 * 3600,
    customer: zeroAddress,
    salt: `0x${"ab".repeat(32)}`,
    ...overrides,
  };
}

/** `owner` signs an EIP-2612 permit of the MockStablecoin for `spender`, with the owner's current nonce. */
export async function signPermit(
  token: Stablecoin,
  owner: Wallet,
  spender: Address,
  value: bigint,
  deadline: bigint,
): Promise<PermitArg> {
  const publicClient = await viem.getPublicClient();
  const nonce = await token.read.nonces([owner.account.address]);
  const signature = await owner.signTypedData({
    account: owner.account,
    domain: {
      name: "Mock USD",
      version: "1",
      chainId: await publicClient.getChainId(),
      verifyingContract: token.address,
    },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message: { owner: owner.account.address, spender, value, nonce, deadline },
  });
  return permitArgs(signature, value, deadline);
}

/** The Booked event of a transaction (asserting there is exactly one). */
export async function bookedEvent(hash: Hash) {
  const publicClient = await viem.getPublicClient();
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  const { abi } = await viem.getContractAt("EarnestEscrow", zeroAddress);
  const events = parseEventLogs({ abi, eventName: "Booked", logs: receipt.logs });
  assert.equal(events.length, 1);
  return events[0].args;
}

/** The timestamp of the block that mined `hash`. */
export async function txTimestamp(hash: Hash): Promise<number> {
  const publicClient = await viem.getPublicClient();
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return Number(block.timestamp);
}

/** The next transaction's block gets exactly timestamp `t`. */
export async function atTime(t: number | bigint): Promise<void> {
  await networkHelpers.time.setNextBlockTimestamp(t);
}

/** Books `seats` of the ETH offering `offeringId` for `customer`, paying the exact deposit. */
export async function bookEth(
  f: Fixture,
  offeringId: number,
  slotStart: number,
  seats: number,
  customer: Wallet = f.customer,
): Promise<Hash> {
  const offering = await f.escrow.read.getOffering([offeringId]);
  return f.escrow.write.book([offeringId, slotStart, seats, zeroHash], {
    account: customer.account,
    value: offering.depositPerSeat * BigInt(seats),
  });
}

/** Approves and books `seats` of a token offering for `customer`. */
export async function bookToken(
  f: Fixture,
  offeringId: number,
  slotStart: number,
  seats: number,
  customer: Wallet = f.customer,
): Promise<Hash> {
  const offering = await f.escrow.read.getOffering([offeringId]);
  const token = await viem.getContractAt("MockStablecoin", offering.token);
  await token.write.approve([f.escrow.address, offering.depositPerSeat * BigInt(seats)], { account: customer.account });
  return f.escrow.write.book([offeringId, slotStart, seats, zeroHash], { account: customer.account });
}

/** The fixture plus a FeeOnTransferToken, allow-listed, minted to the customer, with an offering (id 3). */
export async function deployWithFeeOnTransferOffering() {
  const f = await deployWithOfferings();
  const fot = await viem.deployContract("FeeOnTransferToken");
  await f.escrow.write.setTokenAllowed([fot.address, true]);
  await fot.write.mint([f.customer.account.address, 1_000_000_000n]);
  await f.escrow.write.createOffering([terms(f.grid, { token: fot.address, depositPerSeat: 10_000_000n })], {
    account: f.merchant.account,
  });
  return { ...f, fot, fotOffering: 3 };
}
