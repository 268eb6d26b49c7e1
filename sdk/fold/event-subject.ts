// What an event is about: the offering, booking, merchant, account and token it concerns, from its arguments and
// the state after it (which knows the offerings and payout addresses of the history folded so far). The notifier
// routes each event to a merchant by this.
import type { Address } from "viem";
import { decodeBookingId } from "../booking-id.js";
import type { EscrowEvent } from "../types.js";
import { isIgnoredEvent, unhandledEvent } from "./apply-event.js";
import { lowerCase, type EscrowState } from "./state.js";

export type EventSubject = {
  offeringId?: number;
  bookingId?: bigint;
  /** Who booked (on `Booked`). */
  customer?: Address;
  /** The merchant it concerns: the one it names, the offering's, or the owner of the payout address credited. Left
   *  out when the state does not hold the offering or the payout address (they predate the history folded). */
  merchant?: Address;
  /** The account credited or paid out (`Credited`, `CreditWithdrawn`). */
  account?: Address;
  /** The staff member whose roles changed (`StaffRolesSet`). */
  staff?: Address;
  token?: Address;
};

function offeringSubject(state: EscrowState, offeringId: number): EventSubject {
  const offering = state.offerings.get(offeringId);
  return offering ? { offeringId, merchant: offering.merchant, token: offering.token } : { offeringId };
}

function bookingSubject(state: EscrowState, bookingId: bigint): EventSubject {
  let offeringId = state.bookings.get(bookingId)?.offeringId;
  if (offeringId === undefined) {
    // A booking made before the history folded: its id still says its offering.
    try {
      offeringId = decodeBookingId(bookingId).offeringId;
    } catch {
      return { bookingId };
    }
  }
  return { ...offeringSubject(state, offeringId), bookingId };
}

/** What `event` concerns, read against `state` after `applyEvent(state, event)`. */
export function eventSubject(state: EscrowState, event: EscrowEvent): EventSubject {
  if (isIgnoredEvent(event)) return {};
  switch (event.eventName) {
    case "FeeSet":
    case "PausedSet":
      return {};
    case "TokenAllowedSet":
    case "FeesWithdrawn":
      return { token: event.args.token };
    case "MerchantRegistered":
    case "MerchantUpdated":
      return { merchant: event.args.merchant };
    case "StaffRolesSet":
      return { merchant: event.args.merchant, staff: event.args.staff };
    case "OfferingCreated":
    case "OfferingActiveSet":
      return offeringSubject(state, event.args.offeringId);
    case "Booked":
      return {
        ...offeringSubject(state, event.args.offeringId),
        bookingId: event.args.bookingId,
        customer: event.args.customer,
      };
    case "CouponRedeemed":
    case "CheckedIn":
    case "Disputed":
    case "Settled":
      return bookingSubject(state, event.args.bookingId);
    case "Claimed":
      return { merchant: event.args.merchant, token: event.args.token };
    case "Credited":
    case "CreditWithdrawn": {
      const { account, token } = event.args;
      const merchant = state.payoutOwners.get(lowerCase(account))?.merchant;
      return merchant ? { account, token, merchant } : { account, token };
    }
    default:
      return unhandledEvent(event);
  }
}
