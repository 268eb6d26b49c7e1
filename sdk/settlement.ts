// The settlement arithmetic of contracts/libraries/{Split,CancellationPolicy}.sol, for previews and audits.
// It must give the same numbers as the contract to the wei: test/sdk-settlement.ts checks it against the chain.

import { isAddressEqual, zeroAddress, type Address } from "viem";
import { BPS as WHOLE, CHECK_IN_OPENS_BEFORE_START } from "./generated/constants.js";
import { BookingStatus, CheckInRule } from "./generated/enums.js";

/** A whole share in basis points (Split.BPS), as a bigint for the arithmetic. */
export const BPS = BigInt(WHOLE);

export type CancellationTier = { secondsBeforeStart: number; refundBps: number };

/** The refund share for cancelling `secondsBeforeStart` seconds before the start: first matching tier, else 0. */
export function refundBps(tiers: readonly CancellationTier[], secondsBeforeStart: number | bigint): number {
  const remaining = BigInt(secondsBeforeStart);
  for (const tier of tiers) {
    if (remaining >= BigInt(tier.secondsBeforeStart)) return tier.refundBps;
  }
  return 0;
}

export type SplitResult = { customerShare: bigint; merchantShare: bigint; fee: bigint };

/** Splits a booking's amount: `customerBps` to the customer, the fee out of the rest, the merchant keeps what is left. */
export function split(amount: bigint, customerBps: number | bigint, feeBps: number | bigint): SplitResult {
  const customerShare = (amount * BigInt(customerBps)) / BPS;
  const merchantGross = amount - customerShare;
  const fee = (merchantGross * BigInt(feeBps)) / BPS;
  return { customerShare, merchantShare: merchantGross - fee, fee };
}

/** The refund a customer cancel gives at `now` (Unix seconds), as `refundAt` computes it on-chain. */
export function refundAt(
  booking: { amount: bigint; slotStart: number; feeBps: number },
  tiers: readonly CancellationTier[],
  now: number,
): bigint {
  if (now >= booking.slotStart) return 0n;
  return split(booking.amount, refundBps(tiers, booking.slotStart - now), booking.feeBps).customerShare;
}

/** A booking as the customer rules below need it. */
export type CustomerActionBooking = { status: number; checkedIn: boolean; slotStart: number };

/** Whether the customer may cancel at `now` (EarnestEscrow.cancel): the booking is open, not checked in, and its
 *  slot has not started. */
export function canCancel(booking: CustomerActionBooking, now: number): boolean {
  return booking.status === BookingStatus.Booked && !booking.checkedIn && now < booking.slotStart;
}

/** Whether the customer may dispute at `now` (EarnestEscrow.dispute): the booking is open — checked in or not, a
 *  visit that happened can still be disputed — its offering has an arbiter, and it is between the slot's start and
 *  the moment the booking can settle. */
export function canDispute(
  booking: CustomerActionBooking,
  offering: { arbiter: Address; slotLength: number; disputeWindow: number },
  now: number,
): boolean {
  return (
    booking.status === BookingStatus.Booked &&
    !isAddressEqual(offering.arbiter, zeroAddress) &&
    now >= booking.slotStart &&
    now < settlesAt(booking, offering)
  );
}

/** When a booking can settle (by anyone, or in the merchant's claim): its slot's end plus the dispute window (EarnestEscrow._settlesAt).
 *  Until then a customer of an offering with an arbiter may dispute, from the slot's start. */
export function settlesAt(
  booking: { slotStart: number },
  offering: { slotLength: number; disputeWindow: number },
): number {
  return booking.slotStart + offering.slotLength + offering.disputeWindow;
}

/** Until when the arbiter of a disputed booking may rule (EarnestEscrow.resolve): after that the booking settles
 *  as if there had been no dispute. */
export function rulingDeadline(
  booking: { slotStart: number },
  offering: { slotLength: number; disputeWindow: number; arbiterTimeout: number },
): number {
  return settlesAt(booking, offering) + offering.arbiterTimeout;
}

/** Whether anyone may settle the booking at `now` (EarnestEscrow.settle, and what `claim` takes): it is open, its
 *  slot and dispute window have passed, and, if disputed, the arbiter's time to rule has run out. */
export function canSettle(
  booking: { status: number; slotStart: number },
  offering: { slotLength: number; disputeWindow: number; arbiterTimeout: number },
  now: number,
): boolean {
  if (booking.status === BookingStatus.Booked) return now >= settlesAt(booking, offering);
  if (booking.status === BookingStatus.Disputed) return now >= rulingDeadline(booking, offering);
  return false;
}

/** The two kinds of check-in (SPEC §2 Check-in). */
export type CheckInKind = "customerSigned" | "merchantWord";

/** When a check-in of `kind` is open (EarnestEscrow.checkIn / checkInWithSignature): the customer's signature from
 *  `CHECK_IN_OPENS_BEFORE_START` before the slot's start, the merchant's word from the start; both until the slot
 *  ends. */
export function checkInWindow(
  booking: { slotStart: number },
  offering: { slotLength: number },
  kind: CheckInKind,
): { opensAt: number; closesAt: number } {
  const lead = kind === "customerSigned" ? CHECK_IN_OPENS_BEFORE_START : 0;
  return { opensAt: booking.slotStart - lead, closesAt: booking.slotStart + offering.slotLength };
}

/** Whether the merchant or its check-in staff may check the booking in at `now` with a check-in of `kind`: it is
 *  open and undisputed (a dispute freezes the check-in state), not checked in, inside the window, and — for the
 *  merchant's word — the offering's rule accepts it. */
export function canCheckIn(
  booking: { status: number; checkedIn: boolean; slotStart: number },
  offering: { slotLength: number; checkInRule: number },
  kind: CheckInKind,
  now: number,
): boolean {
  if (booking.status !== BookingStatus.Booked || booking.checkedIn) return false;
  if (kind === "merchantWord" && offering.checkInRule === CheckInRule.CustomerSignature) return false;
  const { opensAt, closesAt } = checkInWindow(booking, offering, kind);
  return now >= opensAt && now < closesAt;
}
