// A customer's signed booking as it travels to a relayer: the intent and its payment authorization (ERC-3009, or
// the intent's signature with an optional EIP-2612 permit), and the coupon the intent names. JSON on the wire, with
// integers above 2^53 as decimal strings; parsed strictly, so a relayer never acts on a malformed request.
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import type { SignedCoupon } from "../coupon-link.js";
import type { BookingIntent, Coupon, PermitArgs } from "../typed-data.js";

export type SignedBookingPayment =
  /** `bookWithAuthorization`: the customer's ERC-3009 `ReceiveWithAuthorization` signature. */
  | { kind: "authorization"; authorization: Hex }
  /** `bookWithSignature`: the intent's signature, and a permit unless the allowance already suffices. */
  | { kind: "permit"; signature: Hex; permit: PermitArgs | null };

export type SignedBooking = {
  intent: BookingIntent;
  payment: SignedBookingPayment;
  /** The coupon the intent's `couponDigest` names, if any. */
  coupon: SignedCoupon | null;
};

export class InvalidSignedBookingError extends Error {
  override name = "InvalidSignedBookingError";
  constructor(readonly field: string) {
    super(`Not a valid signed booking: bad ${field}.`);
  }
}

/** The JSON form (bigints as decimal strings). */
export function encodeSignedBooking({ intent, payment, coupon }: SignedBooking): unknown {
  return {
    intent,
    payment:
      payment.kind === "authorization"
        ? payment
        : {
            kind: "permit",
            signature: payment.signature,
            permit: payment.permit && {
              ...payment.permit,
              value: payment.permit.value.toString(),
              deadline: payment.permit.deadline.toString(),
            },
          },
    coupon: coupon && {
      coupon: { ...coupon.coupon, discount: coupon.coupon.discount.toString() },
      signature: coupon.signature,
    },
  };
}

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidSignedBookingError(field);
  return value as Json;
}

function uint(value: unknown, field: string, bits: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new InvalidSignedBookingError(field);
  }
  return value;
}

function bigUint(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(value)) throw new InvalidSignedBookingError(field);
  const parsed = BigInt(value);
  if (parsed >= 2n ** 256n) throw new InvalidSignedBookingError(field);
  return parsed;
}

function address(value: unknown, field: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) throw new InvalidSignedBookingError(field);
  return getAddress(value);
}

function bytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !isHex(value) || value.length !== 66) throw new InvalidSignedBookingError(field);
  return value.toLowerCase() as Hex;
}

function bytes(value: unknown, field: string, maxBytes = 4096): Hex {
  if (typeof value !== "string" || !isHex(value) || value.length % 2 !== 0 || value.length > 2 + 2 * maxBytes) {
    throw new InvalidSignedBookingError(field);
  }
  return value.toLowerCase() as Hex;
}

function parseIntent(value: unknown): BookingIntent {
  const raw = object(value, "intent");
  return {
    customer: address(raw.customer, "intent.customer"),
    offeringId: uint(raw.offeringId, "intent.offeringId", 32),
    slotStart: uint(raw.slotStart, "intent.slotStart", 40),
    seats: uint(raw.seats, "intent.seats", 16),
    detailsHash: bytes32(raw.detailsHash, "intent.detailsHash"),
    couponDigest: bytes32(raw.couponDigest, "intent.couponDigest"),
    nonce: bytes32(raw.nonce, "intent.nonce"),
    deadline: uint(raw.deadline, "intent.deadline", 40),
  };
}

function parsePermit(value: unknown): PermitArgs | null {
  if (value === null || value === undefined) return null;
  const raw = object(value, "payment.permit");
  return {
    value: bigUint(raw.value, "payment.permit.value"),
    deadline: bigUint(raw.deadline, "payment.permit.deadline"),
    v: uint(raw.v, "payment.permit.v", 8),
    r: bytes32(raw.r, "payment.permit.r"),
    s: bytes32(raw.s, "payment.permit.s"),
  };
}

function parsePayment(value: unknown): SignedBookingPayment {
  const raw = object(value, "payment");
  if (raw.kind === "authorization")
    return { kind: "authorization", authorization: bytes(raw.authorization, "payment.authorization") };
  if (raw.kind === "permit") {
    return { kind: "permit", signature: bytes(raw.signature, "payment.signature"), permit: parsePermit(raw.permit) };
  }
  throw new InvalidSignedBookingError("payment.kind");
}

function parseCoupon(value: unknown): SignedCoupon | null {
  if (value === null || value === undefined) return null;
  const raw = object(value, "coupon");
  const c = object(raw.coupon, "coupon.coupon");
  const coupon: Coupon = {
    offeringId: uint(c.offeringId, "coupon.offeringId", 32),
    discount: bigUint(c.discount, "coupon.discount"),
    maxRedemptions: uint(c.maxRedemptions, "coupon.maxRedemptions", 32),
    expiresAt: uint(c.expiresAt, "coupon.expiresAt", 40),
    customer: address(c.customer, "coupon.customer"),
    salt: bytes32(c.salt, "coupon.salt"),
    signer: address(c.signer, "coupon.signer"),
  };
  return { coupon, signature: bytes(raw.signature, "coupon.signature") };
}

/** Parses the JSON form; throws `InvalidSignedBookingError` naming the first bad field. */
export function parseSignedBooking(value: unknown): SignedBooking {
  const raw = object(value, "body");
  return { intent: parseIntent(raw.intent), payment: parsePayment(raw.payment), coupon: parseCoupon(raw.coupon) };
}
