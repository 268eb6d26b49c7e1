// A merchant's (or an arbiter's) offerings and bookings: the escrow's state folded from its events (sdk/fold),
// narrowed to whose ledger it is. Each booking carries how it was checked in and, if disputed, the customer's
// reason (what the arbiter reads); a merchant's ledger also lists its staff. The console's day view, claims,
// disputes, staff panel and analytics all read this one ledger, so they can never disagree with each other or with
// the auditor.
import type { Address } from "viem";
import { foldEvents } from "../fold/apply-event.js";
import {
  lowerCase,
  type Booking,
  type Claim,
  type EscrowState,
  type Offering,
  type StaffMember,
} from "../fold/state.js";
import type { OfferingTerms } from "../terms.js";
import type { EscrowEvent } from "../types.js";

export type LedgerOffering = OfferingTerms & { id: number; merchant: Address; active: boolean };

/** What the console reads of a booking (the fold's `Booking` has more). */
export type LedgerBooking = Pick<
  Booking,
  | "bookingId"
  | "offeringId"
  | "customer"
  | "slotStart"
  | "seats"
  | "amount"
  | "feeBps"
  | "detailsHash"
  | "bookedAt"
  | "checkedIn"
  | "checkIn"
  | "disputed"
  | "dispute"
  | "status"
  | "couponDigest"
  | "settledAt"
  | "refundBps"
  | "customerShare"
  | "merchantShare"
  | "fee"
>;

export type LedgerClaim = Pick<Claim, "token" | "payout" | "amount" | "at" | "transactionHash">;

export type Ledger = {
  offerings: Map<number, LedgerOffering>;
  bookings: Map<bigint, LedgerBooking>;
  /** The merchant's claims, and the merchant's shares paid by anyone's `settle` (empty when the ledger is built for
   *  an arbiter only). */
  claims: LedgerClaim[];
  /** The merchant's staff holding roles now, in the order of their grants (empty for an arbiter only). */
  staff: StaffMember[];
};

/** Whose ledger: the offerings a merchant published, and/or those an arbiter judges. */
export type LedgerScope = { merchant?: Address; arbiter?: Address };

/** The part of a folded state that `scope` may see. */
export function ledgerOf(state: EscrowState, { merchant, arbiter }: LedgerScope): Ledger {
  const isMerchant = (address: Address) => merchant !== undefined && lowerCase(address) === lowerCase(merchant);
  const isArbiter = (address: Address) => arbiter !== undefined && lowerCase(address) === lowerCase(arbiter);
  const offerings = new Map<number, Offering>();
  for (const [id, offering] of state.offerings) {
    if (isMerchant(offering.merchant) || isArbiter(offering.arbiter)) offerings.set(id, offering);
  }
  const bookings = new Map<bigint, Booking>();
  for (const [id, booking] of state.bookings) if (offerings.has(booking.offeringId)) bookings.set(id, booking);
  const staff = merchant === undefined ? [] : [...(state.staff.get(lowerCase(merchant))?.values() ?? [])];
  return { offerings, bookings, claims: state.claims.filter((claim) => isMerchant(claim.merchant)), staff };
}

export function buildLedger(events: readonly EscrowEvent[], scope: LedgerScope): Ledger {
  return ledgerOf(foldEvents(events), scope);
}
