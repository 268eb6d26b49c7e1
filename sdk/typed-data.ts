// EIP-712 definitions the dApp, the scripts and the tests sign with: coupons (contracts/Coupons.sol), customers'
// check-ins (`EarnestEscrow.CHECK_IN_TYPEHASH`), EIP-2612 permits for `bookWithPermit`, and signed bookings
// (`ISignedBookings`: the intent, and the ERC-3009 authorization whose nonce is the intent's digest).
import { hashTypedData, parseSignature, zeroAddress, zeroHash, type Address, type Hex } from "viem";

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

/** A signed booking's intent, as `ISignedBookings.BookingIntent` defines it. */
export type BookingIntent = {
  customer: Address;
  offeringId: number;
  slotStart: number;
  seats: number;
  detailsHash: Hex;
  /** The coupon's EIP-712 digest (`hashCoupon`), or the zero hash for none. */
  couponDigest: Hex;
  /** Any value the customer has not used in a signed booking before (`bookingNonceUsed`). */
  nonce: Hex;
  /** Valid while the block's time is before it (ERC-3009's `validBefore`). */
  deadline: number;
};

/** The intent type, matching `EarnestEscrow.BOOKING_INTENT_TYPEHASH`; signed in the escrow's domain. */
export const bookingIntentTypes = {
  BookingIntent: [
    { name: "customer", type: "address" },
    { name: "offeringId", type: "uint32" },
    { name: "slotStart", type: "uint40" },
    { name: "seats", type: "uint16" },
    { name: "detailsHash", type: "bytes32" },
    { name: "couponDigest", type: "bytes32" },
    { name: "nonce", type: "bytes32" },
    { name: "deadline", type: "uint40" },
  ],
} as const;

/** ERC-3009's `ReceiveWithAuthorization`, signed in the token's domain. */
export const receiveWithAuthorizationTypes = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** The ERC-3009 authorization `bookWithAuthorization` executes for `intent`: from the customer to the escrow, the
 *  booking's exact amount, valid from 0 until the intent's deadline, with the intent's digest
 *  (`hashBookingIntent`) as its nonce. Sign it in the token's domain. */
export function bookingAuthorizationMessage(intent: BookingIntent, escrow: Address, amount: bigint, intentDigest: Hex) {
  return {
    from: intent.customer,
    to: escrow,
    value: amount,
    validAfter: 0n,
    validBefore: BigInt(intent.deadline),
    nonce: intentDigest,
  } as const;
}

/** `hashBookingIntent` computed off-chain: the intent's EIP-712 digest in the escrow's domain. */
export function hashBookingIntent(intent: BookingIntent, chainId: number, escrow: Address): Hex {
  return hashTypedData({
    domain: escrowDomain(chainId, escrow),
    types: bookingIntentTypes,
    primaryType: "BookingIntent",
    message: { ...intent },
  });
}
