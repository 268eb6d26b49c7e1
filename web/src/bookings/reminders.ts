import { BPS, canCancel, type CustomerBooking, type OfferingInfo, nextRefundDrop, refundBps } from "@earnest/sdk";

/** How long before free cancellation ends the dApp starts reminding. */
export const REMIND_WITHIN = 24 * 3600;

export type Reminder = { bookingId: bigint; offeringId: number; endsAt: number; refundBpsAfter: number };

/** Open bookings whose full refund ends within `REMIND_WITHIN`, soonest first. */
export function dueReminders(
  bookings: readonly CustomerBooking[],
  offerings: readonly OfferingInfo[],
  now: number,
): Reminder[] {
  const reminders: Reminder[] = [];
  for (const booking of bookings) {
    if (!canCancel(booking, now)) continue;
    const offering = offerings.find((o) => o.id === booking.offeringId);
    if (!offering) continue;
    if (refundBps(offering.cancellationTiers, booking.slotStart - now) !== Number(BPS)) continue;
    const drop = nextRefundDrop(offering.cancellationTiers, booking.slotStart, now);
    if (drop && drop.at - now <= REMIND_WITHIN) {
      reminders.push({
        bookingId: booking.bookingId,
        offeringId: offering.id,
        endsAt: drop.at,
        refundBpsAfter: drop.refundBps,
      });
    }
  }
  return reminders.sort((a, b) => a.endsAt - b.endsAt);
}
