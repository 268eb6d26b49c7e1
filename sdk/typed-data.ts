// EIP-712 definitions the dApp, the scripts and the tests sign with: coupons (contracts/Coupons.sol), customers'
// check-ins (`EarnestEscrow.CHECK_IN_TYPEHASH`) and EIP-2612 permits for `bookWithPermit`.
import { parseSignature, zeroAddress, zeroHash, type Address, type Hex } from "viem";

/** A coupon as `Coupons.Coupon` defines it. */
export type Coupon = {
  offeringId: number;
  discount: bigint;
  maxRedemptions: number;
  expiresAt: number;
  customer: Address;
  salt: Hex;
  /** The merchant, or its staff with the coupon role. */
  signer: Address;
};

/** The coupon type, matching `Coupons.COUPON_TYPEHASH`. */
export const couponTypes = {
  Coupon: [
    { name: "offeringId", type: "uint32" },
    { name: "discount", type: "uint96" },
    { name: "maxRedemptions", type: "uint32" },
    { name: "expiresAt", type: "uint40" },
    { name: "customer", type: "address" },
    { name: "salt", type: "bytes32" },
    { name: "signer", type: "address" },
  ],
} as const;

/** The escrow's EIP-712 domain: coupons and check-ins are bound to one chain and one escrow. */
export function escrowDomain(chainId: number, escrow: Address) {
  return { name: "Earnest", version: "2", chainId, verifyingContract: escrow } as const;
}

/** The domain coupons are signed in (the escrow's). */
export const couponDomain = escrowDomain;

/** A customer's "I am here", matching `EarnestEscrow.CHECK_IN_TYPEHASH`. */
export const checkInTypes = {
  CheckIn: [{ name: "bookingId", type: "uint256" }],
} as const;

/** What `bookWithPermit` takes when no coupon is used (with an empty signature). */
export const noCoupon: Coupon = {
  offeringId: 0,
  discount: 0n,
  maxRedemptions: 0,
  expiresAt: 0,
  customer: zeroAddress,
  salt: zeroHash,
  signer: zeroAddress,
};

/** The EIP-2612 permit type. */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A permit as `bookWithPermit` takes it. */
export type PermitArgs = { value: bigint; deadline: bigint; v: number; r: Hex; s: Hex };

/** Turns a permit signature into `bookWithPermit`'s argument (v as 27/28 whatever the signer returned). */
export function permitArgs(signature: Hex, value: bigint, deadline: bigint): PermitArgs {
  const { r, s, v, yParity } = parseSignature(signature);
  return { value, deadline, v: v !== undefined ? Number(v) : yParity + 27, r, s };
}
