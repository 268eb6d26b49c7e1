// Merchant coupons, customers' check-ins and EIP-2612 permits, signed with the sdk's EIP-712 definitions. The signer
// comes first, then what it signs, then where it is valid.
import { hashTypedData, zeroAddress, type Address, type Hex } from "viem";
import {
  checkInTypes,
  couponDomain,
  couponTypes,
  escrowDomain,
  permitArgs,
  permitTypes,
  type Coupon,
  type PermitArgs,
} from "@earnest/sdk";
import { networkHelpers, viem, type Stablecoin, type Wallet } from "./fixture.js";

async function chainId(): Promise<number> {
  return (await viem.getPublicClient()).getChainId();
}

/** `signer` signs `coupon` for the escrow at `escrow` on `chainId` (this chain's unless told). */
export async function signCoupon(signer: Wallet, coupon: Coupon, escrow: Address, onChain?: number): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: couponDomain(onChain ?? (await chainId()), escrow),
    types: couponTypes,
    primaryType: "Coupon",
    message: coupon,
  });
}

/** The EIP-712 digest of `coupon` at the escrow at `escrow` on this chain: what its signer signs (an ERC-1271 signer
 *  such as a Safe signs the digest itself) and what the escrow counts redemptions and names in its errors by. */
export async function couponDigest(coupon: Coupon, escrow: Address): Promise<Hex> {
  return hashTypedData({
    domain: couponDomain(await chainId(), escrow),
    types: couponTypes,
    primaryType: "Coupon",
    message: coupon,
  });
}

/** `customer` signs "I am here" for `bookingId` at the escrow at `escrow` on `chainId` (this chain's unless told). */
export async function signCheckIn(
  customer: Wallet,
  bookingId: bigint,
  escrow: Address,
  onChain?: number,
): Promise<Hex> {
  return customer.signTypedData({
    account: customer.account,
    domain: escrowDomain(onChain ?? (await chainId()), escrow),
    types: checkInTypes,
    primaryType: "CheckIn",
    message: { bookingId },
  });
}

/** A coupon for `offeringId` valid for a week, for anyone, with a fixed salt, naming the fixture's merchant (the
 *  third wallet, see fixture.ts) as its signer unless told. */
export async function makeCoupon(
  offeringId: number,
  discount: bigint,
  overrides: Partial<Coupon> = {},
): Promise<Coupon> {
  const latest = Number(await networkHelpers.time.latest());
  const [, , merchant] = await viem.getWalletClients();
  return {
    offeringId,
    discount,
    maxRedemptions: 10,
    expiresAt: latest + 7 * 24 * 3600,
    customer: zeroAddress,
    salt: `0x${"ab".repeat(32)}`,
    signer: merchant.account.address,
    ...overrides,
  };
}

/** `owner` signs an EIP-2612 permit of `token` for `spender`, with its current nonce unless told. */
export async function signPermit(
  owner: Wallet,
  token: Stablecoin,
  spender: Address,
  value: bigint,
  deadline: bigint,
  nonce?: bigint,
): Promise<PermitArgs> {
  const signature = await owner.signTypedData({
    account: owner.account,
    domain: { name: await token.read.name(), version: "1", chainId: await chainId(), verifyingContract: token.address },
    types: permitTypes,
    primaryType: "Permit",
    message: {
      owner: owner.account.address,
      spender,
      value,
      nonce: nonce ?? (await token.read.nonces([owner.account.address])),
      deadline,
    },
  });
  return permitArgs(signature, value, deadline);
}
