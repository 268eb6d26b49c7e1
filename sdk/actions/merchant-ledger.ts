// A merchant's (or an arbiter's) offerings and bookings rebuilt from the escrow's events alone: the console's day
// view, claims, disputes and analytics all read this one fold, so they can never disagree.
import { isAddressEqual, type Address, type Hex } from "viem";
import { BookingStatus } from "../generated/enums.js";
import type { EscrowEvent } from "../audit/types.js";
import { compareEvents } from "../audit/verify.js";
import type { OfferingTerms } from "../terms.js";

export type LedgerOffering = OfferingTerms & { id: number; merchant: Address; active: boolean };

export type LedgerBooking = {
  bookingId: bigint;
  offeringId: number;
  customer: Address;
  slotStart: number;
  seats: number;
  amount: bigint;
  feeBps: number;
  detailsHash: Hex;
  /** Block time of the booking; undefined only when the events came without timestamps. */
  bookedAt?: number;
  checkedIn: boolean;
  disputed: boolean;
  status: BookingStatus;
  settledAt?: number;
  refundBps?: number;
  customerShare?: bigint;
  merchantShare?: bigint;
  fee?: bigint;
};

export type LedgerClaim = { token: Address; payout: Address; amount: bigint; at?: number; transactionHash: Hex };

export type Ledger = {
  offerings: Map<number, LedgerOffering>;
  bookings: Map<bigint, LedgerBooking>;
  /** The merchant's claims (empty when the ledger is built for an arbiter only). */
  claims: LedgerClaim[];
};

/** Whose ledger: the offerings a merchant published, and/or those an arbiter judges. */
export type LedgerScope = { merchant?: Address; arbiter?: Address };

function inScope(offering: LedgerOffering, { merchant, arbiter }: LedgerScope): boolean {
  return (
    (merchant !== undefined && isAddressEqual(offering.merchant, merchant)) ||
    (arbiter !== undefined && isAddressEqual(offering.arbiter, arbiter))
  );
}

export function buildLedger(events: readonly EscrowEvent[], scope: LedgerScope): Ledger {
  const offerings = new Map<number, LedgerOffering>();
  const bookings = new Map<bigint, LedgerBooking>();
  const claims: LedgerClaim[] = [];
  for (const e of [...events].sort(compareEvents)) {
    switch (e.eventName) {
      case "OfferingCreated": {
        const offering: LedgerOffering = {
          ...e.args.terms,
          cancellationTiers: e.args.terms.cancellationTiers.map((tier) => ({ ...tier })),
          id: e.args.offeringId,
          merchant: e.args.merchant,
          active: true,
        };
        if (inScope(offering, scope)) offerings.set(offering.id, offering);
        break;
      }
      case "OfferingActiveSet": {
        const offering = offerings.get(e.args.offeringId);
        if (offering) offering.active = e.args.active;
        break;
      }
      case "Booked":
        if (offerings.has(e.args.offeringId)) {
          bookings.set(e.args.bookingId, {
            bookingId: e.args.bookingId,
            offeringId: e.args.offeringId,
            customer: e.args.customer,
            slotStart: e.args.slotStart,
            seats: e.args.seats,
            amount: e.args.amount,
            feeBps: e.args.feeBps,
            detailsHash: e.args.detailsHash,
            bookedAt: e.blockTimestamp,
            checkedIn: false,
            disputed: false,
            status: BookingStatus.Booked,
          });
        }
        break;
      case "CheckedIn": {
        const booking = bookings.get(e.args.bookingId);
        if (booking) booking.checkedIn = true;
        break;
      }
      case "Disputed": {
        const booking = bookings.get(e.args.bookingId);
        if (booking) Object.assign(booking, { disputed: true, status: BookingStatus.Disputed });
        break;
      }
      case "Settled": {
        const booking = bookings.get(e.args.bookingId);
        if (booking) {
          Object.assign(booking, {
            status: e.args.outcome as BookingStatus,
            settledAt: e.blockTimestamp,
            refundBps: Number(e.args.refundBps),
            customerShare: e.args.customerShare,
            merchantShare: e.args.merchantShare,
            fee: e.args.fee,
          });
        }
        break;
      }
      case "Claimed":
        if (scope.merchant !== undefined && isAddressEqual(e.args.merchant, scope.merchant)) {
          claims.push({
            token: e.args.token,
            payout: e.args.payout,
            amount: e.args.amount,
            at: e.blockTimestamp,
            transactionHash: e.transactionHash,
          });
        }
        break;
    }
  }
  return { offerings, bookings, claims };
}

/** Whether a booking still waits for its outcome. */
export function isOpen(booking: Pick<LedgerBooking, "status">): boolean {
  return booking.status === BookingStatus.Booked || booking.status === BookingStatus.Disputed;
}
