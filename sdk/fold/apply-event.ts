// How each escrow event changes the state: the one place that knows it. The verifier checks every event against
// the state before applying it; the merchant console, My bookings and the booking pass read the state after; the
// notifier routes each event by its subject (event-subject.ts) in the state after it. A new event in the ABI fails
// the type check here (and in every switch over event names) until it is handled or listed in `ignoredEvents`.
import type { Address } from "viem";
import { decodeBookingId } from "../booking-id.js";
import { BookingStatus } from "../generated/enums.js";
import type { EscrowEvent, EscrowEventName, EscrowEventOf } from "../types.js";
import {
  createEscrowState,
  creditKey,
  isOpen,
  lowerCase,
  releasesSeats,
  slotKey,
  type EscrowState,
  type Slot,
} from "./state.js";

/** Events that change nothing a booking, an offering or a balance depends on: ownership, the fee recipient, the
 *  EIP-712 domain. */
export const ignoredEvents = [
  "EIP712DomainChanged",
  "FeeRecipientSet",
  "OwnershipTransferStarted",
  "OwnershipTransferred",
] as const satisfies readonly EscrowEventName[];

export type IgnoredEvent = EscrowEventOf<(typeof ignoredEvents)[number]>;

const ignored: ReadonlySet<EscrowEventName> = new Set(ignoredEvents);

export function isIgnoredEvent(event: EscrowEvent): event is IgnoredEvent {
  return ignored.has(event.eventName);
}

/** The default of a switch over event names: it type-checks only once every event has its case. An event outside
 *  the ABI cannot be decoded, so reaching this at run time means a fabricated one. */
export function unhandledEvent(event: never): never {
  throw new Error(`Unhandled escrow event ${(event as EscrowEvent).eventName}.`);
}

/** Compares two events by position in the chain. */
export function compareEvents(a: EscrowEvent, b: EscrowEvent): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

/** The state after `events`, applied in chain order (to `state`, when given). */
export function foldEvents(events: readonly EscrowEvent[], state: EscrowState = createEscrowState()): EscrowState {
  for (const event of [...events].sort(compareEvents)) applyEvent(state, event);
  return state;
}

function add(amounts: Map<Address, bigint>, token: Address, amount: bigint): void {
  const key = lowerCase(token);
  amounts.set(key, (amounts.get(key) ?? 0n) + amount);
}

function bookingNumber(bookingId: bigint): number {
  try {
    return decodeBookingId(bookingId).n;
  } catch {
    return 0;
  }
}

function slotOf(state: EscrowState, offeringId: number, slotStart: number): Slot {
  const key = slotKey(offeringId, slotStart);
  let slot = state.slots.get(key);
  if (!slot) {
    slot = { seats: 0, count: 0 };
    state.slots.set(key, slot);
  }
  return slot;
}

/** Applies one event to `state`, in place. Events about a booking the state does not hold (made before the history
 *  at hand starts) change nothing. */
export function applyEvent(state: EscrowState, event: EscrowEvent): void {
  if (isIgnoredEvent(event)) return;
  switch (event.eventName) {
    case "FeeSet":
      state.feeBps = event.args.feeBps;
      return;
    case "PausedSet":
      state.paused = event.args.paused;
      return;
    case "TokenAllowedSet": {
      const { token, allowed } = event.args;
      if (allowed) state.allowedTokens.add(lowerCase(token));
      else state.allowedTokens.delete(lowerCase(token));
      return;
    }
    case "MerchantRegistered":
    case "MerchantUpdated": {
      const { merchant, payout, name } = event.args;
      state.merchants.set(lowerCase(merchant), { merchant, payout, name, block: event.blockNumber });
      state.payoutOwners.set(lowerCase(payout), { merchant, block: event.blockNumber });
      return;
    }
    case "StaffRolesSet": {
      const { merchant, staff, roles } = event.args;
      const key = lowerCase(merchant);
      let members = state.staff.get(key);
      if (!members) {
        members = new Map();
        state.staff.set(key, members);
      }
      // A grant replaces the previous roles at once; zero revokes them all.
      if (roles === 0) members.delete(lowerCase(staff));
      else members.set(lowerCase(staff), { staff, roles, block: event.blockNumber });
      return;
    }
    case "OfferingCreated": {
      const { offeringId, merchant, terms } = event.args;
      state.offerings.set(offeringId, {
        ...terms,
        cancellationTiers: terms.cancellationTiers.map((tier) => ({ ...tier })),
        id: offeringId,
        merchant,
        active: true,
        createdBlock: event.blockNumber,
      });
      return;
    }
    case "OfferingActiveSet": {
      const offering = state.offerings.get(event.args.offeringId);
      if (offering) offering.active = event.args.active;
      return;
    }
    case "Booked": {
      const { bookingId, offeringId, customer, slotStart, seats, amount, feeBps, detailsHash } = event.args;
      // A booking id is given once: a second `Booked` for it changes nothing.
      if (state.bookings.has(bookingId)) return;
      const n = bookingNumber(bookingId);
      const slot = slotOf(state, offeringId, slotStart);
      slot.count = Math.max(slot.count + 1, n);
      slot.seats += seats;
      state.bookings.set(bookingId, {
        bookingId,
        offeringId,
        slotStart,
        n,
        customer,
        seats,
        amount,
        discount: 0n,
        feeBps,
        detailsHash,
        status: BookingStatus.Booked,
        checkedIn: false,
        disputed: false,
        bookedBlock: event.blockNumber,
        bookedAt: event.blockTimestamp,
      });
      const offering = state.offerings.get(offeringId);
      if (offering) add(state.depositsHeld, offering.token, amount);
      return;
    }
    case "CouponRedeemed": {
      const booking = state.bookings.get(event.args.bookingId);
      if (booking) {
        booking.discount += event.args.discount;
        booking.couponDigest = event.args.couponDigest;
      }
      return;
    }
    case "CheckedIn": {
      const booking = state.bookings.get(event.args.bookingId);
      if (booking) {
        const { by, customerSigned } = event.args;
        booking.checkedIn = true;
        booking.checkIn = { by, customerSigned, block: event.blockNumber, at: event.blockTimestamp };
      }
      return;
    }
    case "Disputed": {
      const booking = state.bookings.get(event.args.bookingId);
      if (booking) {
        booking.status = BookingStatus.Disputed;
        booking.disputed = true;
        booking.dispute = {
          reason: event.args.reason,
          checkedIn: booking.checkedIn,
          block: event.blockNumber,
          at: event.blockTimestamp,
        };
      }
      return;
    }
    case "Settled": {
      const { bookingId, outcome, refundBps, customerShare, merchantShare, fee } = event.args;
      const booking = state.bookings.get(bookingId);
      if (booking) {
        // Only the first outcome moves funds; a later one (which the contract never emits) only relabels.
        if (isOpen(booking)) {
          if (releasesSeats(outcome)) {
            const slot = state.slots.get(slotKey(booking.offeringId, booking.slotStart));
            if (slot) slot.seats -= booking.seats;
          }
          const offering = state.offerings.get(booking.offeringId);
          if (offering) {
            add(state.depositsHeld, offering.token, -booking.amount);
            add(state.feesOwed, offering.token, fee);
          }
        }
        booking.status = outcome as BookingStatus;
        booking.settledBlock = event.blockNumber;
        booking.settledAt = event.blockTimestamp;
        booking.refundBps = Number(refundBps);
        booking.customerShare = customerShare;
        booking.merchantShare = merchantShare;
        booking.fee = fee;
      }
      return;
    }
    case "Claimed": {
      const { merchant, token, payout, amount } = event.args;
      state.claims.push({
        merchant,
        token,
        payout,
        amount,
        block: event.blockNumber,
        at: event.blockTimestamp,
        transactionHash: event.transactionHash,
      });
      return;
    }
    case "Credited":
    case "CreditWithdrawn": {
      const { token, account, amount } = event.args;
      const key = creditKey(token, account);
      // A withdrawal takes the whole credit.
      state.credits.set(key, event.eventName === "Credited" ? (state.credits.get(key) ?? 0n) + amount : 0n);
      return;
    }
    case "FeesWithdrawn":
      state.feesOwed.set(lowerCase(event.args.token), 0n);
      return;
    default:
      unhandledEvent(event);
  }
}
