// The escrow's state as its events build it: plain maps that `applyEvent` changes in place (a history holds tens of
// thousands of events; copying the state for each would cost more than the fold). Addresses are kept as the
// events carry them; map keys made of addresses are lower-case, so lookups never depend on checksum casing.
import type { Address, Hex } from "viem";
import { BookingStatus } from "../generated/enums.js";
import type { OfferingTerms } from "../terms.js";
import type { BookingView } from "../types.js";

export type Merchant = {
  merchant: Address;
  payout: Address;
  name: string;
  /** The block of its latest registration or update. */
  block: bigint;
};

export type Offering = OfferingTerms & {
  id: number;
  merchant: Address;
  active: boolean;
  createdBlock: bigint;
};

export type Booking = {
  bookingId: bigint;
  offeringId: number;
  slotStart: number;
  /** The booking's number within its slot, from its id (0 when the id does not decode). */
  n: number;
  customer: Address;
  seats: number;
  /** What the customer paid: the seats' deposits less the coupon's discount. */
  amount: bigint;
  discount: bigint;
  /** The EIP-712 digest of the coupon it redeemed; undefined when it redeemed none. */
  couponDigest?: Hex;
  /** The protocol fee snapshotted at booking time. */
  feeBps: number;
  detailsHash: Hex;
  status: BookingStatus;
  checkedIn: boolean;
  /** How and by whom it was checked in; undefined until it is. */
  checkIn?: CheckIn;
  disputed: boolean;
  /** The customer's dispute; undefined unless disputed. */
  dispute?: Dispute;
  bookedBlock: bigint;
  /** Block time of the booking; undefined only when the events came without timestamps. */
  bookedAt?: number;
  settledBlock?: bigint;
  settledAt?: number;
  refundBps?: number;
  customerShare?: bigint;
  merchantShare?: bigint;
  fee?: bigint;
};

export type CheckIn = {
  /** Who submitted it: the merchant or one of its check-in staff. */
  by: Address;
  /** True when the customer's signature proved attendance, false for the merchant's word. */
  customerSigned: boolean;
  block: bigint;
  at?: number;
};

export type Dispute = {
  /** What it is about, in the customer's words, for the arbiter. */
  reason: string;
  /** Whether the booking was checked in when disputed: check-in is frozen from then on, and an arbiter's timeout
   *  settles by this. */
  checkedIn: boolean;
  block: bigint;
  at?: number;
};

/** A staff member's roles (bits of `STAFF_CHECK_IN`, `STAFF_CANCEL`, `STAFF_COUPONS`) and when they were set. */
export type StaffMember = { staff: Address; roles: number; block: bigint };

export type Claim = {
  merchant: Address;
  token: Address;
  payout: Address;
  amount: bigint;
  block: bigint;
  at?: number;
  transactionHash: Hex;
};

/** Seats held in one slot, and the highest booking number given in it. */
export type Slot = { seats: number; count: number };

export type EscrowState = {
  /** The protocol fee in force for new bookings; undefined until a `FeeSet` is seen. */
  feeBps: number | undefined;
  paused: boolean;
  /** Tokens allowed for bookings (lower-case; ETH needs no allowance). */
  allowedTokens: Set<Address>;
  /** By lower-case merchant address. */
  merchants: Map<Address, Merchant>;
  /** Each merchant's staff (lower-case merchant, then lower-case staff address) holding at least one role; a
   *  revocation (roles set to zero) removes the entry. */
  staff: Map<Address, Map<Address, StaffMember>>;
  /** Who named each payout address (lower-case) last, and when: credits to a payout address concern its merchant. */
  payoutOwners: Map<Address, { merchant: Address; block: bigint }>;
  offerings: Map<number, Offering>;
  /** In the order they were booked. */
  bookings: Map<bigint, Booking>;
  /** By `offeringId:slotStart`. */
  slots: Map<string, Slot>;
  /** Deposits of open bookings per token (lower-case; zero address = ETH). Bookings of offerings the state does not
   *  hold (a history that starts later) have no token to count under and are left out. */
  depositsHeld: Map<Address, bigint>;
  /** Protocol fees owed per token (lower-case). */
  feesOwed: Map<Address, bigint>;
  /** Withdrawable credits by `token:account` (lower-case). */
  credits: Map<string, bigint>;
  claims: Claim[];
};

export function createEscrowState(): EscrowState {
  return {
    feeBps: undefined,
    paused: false,
    allowedTokens: new Set(),
    merchants: new Map(),
    staff: new Map(),
    payoutOwners: new Map(),
    offerings: new Map(),
    bookings: new Map(),
    slots: new Map(),
    depositsHeld: new Map(),
    feesOwed: new Map(),
    credits: new Map(),
    claims: [],
  };
}

export const lowerCase = (address: string): Address => address.toLowerCase() as Address;

/** The key of `credits`. */
export const creditKey = (token: Address, account: Address): string => `${lowerCase(token)}:${lowerCase(account)}`;

/** The key of `slots`. */
export const slotKey = (offeringId: number, slotStart: number): string => `${offeringId}:${slotStart}`;

/** Whether a booking still waits for its outcome. */
export function isOpen(booking: { status: number }): boolean {
  return booking.status === BookingStatus.Booked || booking.status === BookingStatus.Disputed;
}

/** The roles `merchant` has granted `account` in `state` (zero: none). */
export function staffRolesOf(state: EscrowState, merchant: Address, account: Address): number {
  return state.staff.get(lowerCase(merchant))?.get(lowerCase(account))?.roles ?? 0;
}

/** Whether `account` is `merchant` itself or its staff holding `role` in `state`: who may act for the merchant. */
export function actsForMerchant(state: EscrowState, merchant: Address, account: Address, role: number): boolean {
  return lowerCase(account) === lowerCase(merchant) || (staffRolesOf(state, merchant, account) & role) !== 0;
}

/** Whether a booking settled with this outcome gave its seats back to the slot (a cancellation, by either side). */
export function releasesSeats(outcome: number): boolean {
  return outcome === BookingStatus.CustomerCancelled || outcome === BookingStatus.MerchantCancelled;
}

/** The booking as the contract's `getBooking` view shows it. */
export function toBookingView(booking: Booking): BookingView {
  const { bookingId, offeringId, customer, slotStart, seats, feeBps, status, checkedIn, amount } = booking;
  return { bookingId, offeringId, customer, slotStart, seats, feeBps, status, checkedIn, amount };
}
