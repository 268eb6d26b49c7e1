import { describe, expect, it } from "vitest";
import { BookingStatus } from "@earnest/sdk";
import { groupBookings, groupOf } from "./order";

const HOUR = 3600;
const NOW = 1_900_000_000;
const booking = (bookingId: bigint, slotStart: number, status: number = BookingStatus.Booked) => ({
  bookingId,
  offeringId: 1,
  slotStart,
  status,
});

describe("My bookings' order", () => {
  it("puts upcoming bookings first, soonest first, then those awaiting settlement, then the past, latest first", () => {
    const bookings = [
      booking(1n, NOW - 10 * HOUR, BookingStatus.Fulfilled),
      booking(2n, NOW + 48 * HOUR),
      booking(3n, NOW - 5 * HOUR),
      booking(4n, NOW + 2 * HOUR),
      booking(5n, NOW + 24 * HOUR, BookingStatus.CustomerCancelled),
      booking(6n, NOW - 30 * HOUR, BookingStatus.NoShow),
      booking(7n, NOW - HOUR / 2),
    ];
    const groups = groupBookings(bookings, () => 2 * HOUR, NOW);
    const ids = (list: { bookingId: bigint }[]) => list.map((b) => b.bookingId);
    // 7 started half an hour ago in a 2 h slot: still upcoming (it is happening).
    expect(ids(groups.upcoming)).toEqual([7n, 4n, 2n]);
    expect(ids(groups.awaiting)).toEqual([3n]);
    // A cancelled booking is over even if its slot is still ahead.
    expect(ids(groups.past)).toEqual([5n, 1n, 6n]);
  });

  it("keeps a stable order for bookings of the same slot", () => {
    const groups = groupBookings([booking(9n, NOW + HOUR), booking(8n, NOW + HOUR)], () => HOUR, NOW);
    expect(groups.upcoming.map((b) => b.bookingId)).toEqual([8n, 9n]);
  });

  it("says a booking awaits settlement from the moment its slot ends, disputed ones too", () => {
    expect(groupOf(booking(1n, NOW - 2 * HOUR), 2 * HOUR, NOW - 1)).toBe("upcoming");
    expect(groupOf(booking(1n, NOW - 2 * HOUR), 2 * HOUR, NOW)).toBe("awaiting");
    expect(groupOf(booking(1n, NOW - 3 * HOUR, BookingStatus.Disputed), 2 * HOUR, NOW)).toBe("awaiting");
    expect(groupOf(booking(1n, NOW - 3 * HOUR, BookingStatus.Resolved), 2 * HOUR, NOW)).toBe("past");
  });
});
