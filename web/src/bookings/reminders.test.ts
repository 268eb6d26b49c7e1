import { describe, expect, it } from "vitest";
import { zeroAddress } from "viem";
import { type CustomerBooking, type OfferingInfo, BookingStatus } from "@earnest/sdk";
import { dueReminders } from "./reminders";

const HOUR = 3600;
const offering = {
  id: 1,
  cancellationTiers: [
    { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
    { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
  ],
} as unknown as OfferingInfo;

const booking = (slotStart: number, status: number = BookingStatus.Booked) =>
  ({
    bookingId: BigInt(slotStart),
    offeringId: 1,
    slotStart,
    status,
    checkedIn: false,
    customer: zeroAddress,
  }) as unknown as CustomerBooking;

describe("dueReminders", () => {
  const now = 1_000_000;

  it("reminds when free cancellation ends within a day, soonest first", () => {
    const soon = booking(now + 50 * HOUR); // full refund ends in 2 h
    const later = booking(now + 70 * HOUR); // ends in 22 h
    const far = booking(now + 100 * HOUR); // ends in 52 h: not yet
    const reminders = dueReminders([later, far, soon], [offering], now);
    expect(reminders.map((r) => r.bookingId)).toEqual([soon.bookingId, later.bookingId]);
    expect(reminders[0]).toMatchObject({ endsAt: now + 2 * HOUR + 1, refundBpsAfter: 5_000 });
  });

  it("does not remind once the refund is no longer full, or for closed bookings", () => {
    const partial = booking(now + 30 * HOUR);
    const cancelled = booking(now + 50 * HOUR, BookingStatus.CustomerCancelled);
    expect(dueReminders([partial, cancelled], [offering], now)).toEqual([]);
  });
});
