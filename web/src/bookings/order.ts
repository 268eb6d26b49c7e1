import { BookingStatus, type CustomerBooking } from "@earnest/sdk";

/** The groups My bookings shows, in this order: what is still to come, what ended and still waits for its
 *  settlement (the customer can settle it), and what is over. */
export type BookingGroup = "upcoming" | "awaiting" | "past";
export const bookingGroups: readonly BookingGroup[] = ["upcoming", "awaiting", "past"];

const open = (b: { status: number }) => b.status === BookingStatus.Booked || b.status === BookingStatus.Disputed;

/** Which group a booking belongs to at `now`: open bookings whose slot has not ended are upcoming; open ones whose
 *  slot ended await settlement; settled or cancelled ones are past. */
export function groupOf(
  booking: { status: number; slotStart: number },
  slotLength: number | undefined,
  now: number,
): BookingGroup {
  if (!open(booking)) return "past";
  return now < booking.slotStart + (slotLength ?? 0) ? "upcoming" : "awaiting";
}

/** The bookings by group: upcoming soonest first (the next visit on top), the others latest first (the freshest
 *  memory on top). `slotLength` gives an offering's slot length by id. */
export function groupBookings<B extends Pick<CustomerBooking, "status" | "slotStart" | "offeringId" | "bookingId">>(
  bookings: readonly B[],
  slotLength: (offeringId: number) => number | undefined,
  now: number,
): Record<BookingGroup, B[]> {
  const groups: Record<BookingGroup, B[]> = { upcoming: [], awaiting: [], past: [] };
  for (const b of bookings) groups[groupOf(b, slotLength(b.offeringId), now)].push(b);
  // Same start: the earlier booking first, so the order does not move between reloads.
  const tie = (a: B, b: B) => (a.bookingId < b.bookingId ? -1 : a.bookingId > b.bookingId ? 1 : 0);
  groups.upcoming.sort((a, b) => a.slotStart - b.slotStart || tie(a, b));
  groups.awaiting.sort((a, b) => b.slotStart - a.slotStart || tie(a, b));
  groups.past.sort((a, b) => b.slotStart - a.slotStart || tie(a, b));
  return groups;
}
