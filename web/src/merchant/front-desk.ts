// The front desk's rules, pure so the page and its tests agree: who is due at the door now and next, what a staff
// member's roles let them do there, and what the desk can do for one booking at a given moment.
import {
  BookingStatus,
  CHECK_IN_OPENS_BEFORE_START,
  checkInWindow,
  CheckInRule,
  isOpen,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  STAFF_COUPONS,
  type LedgerBooking,
  type LedgerOffering,
} from "@earnest/sdk";

/** What the account at the desk may do there. Claiming, payouts and offerings are the merchant's own key's (SPEC §1
 *  Staff): no role grants them, so the desk never shows them, not even to the merchant. */
export type DeskPermissions = {
  checkIn: boolean;
  /** Cancel with a full refund. */
  cancel: boolean;
  coupons: boolean;
  claim: false;
  payout: false;
  offerings: false;
};

export function deskPermissions(roles: number): DeskPermissions {
  return {
    checkIn: (roles & STAFF_CHECK_IN) !== 0,
    cancel: (roles & STAFF_CANCEL) !== 0,
    coupons: (roles & STAFF_COUPONS) !== 0,
    claim: false,
    payout: false,
    offerings: false,
  };
}

/** One slot of one offering with its open bookings, as the desk lists it. */
export type DeskSlot = {
  key: string;
  offering: LedgerOffering;
  start: number;
  end: number;
  /** Open bookings (booked or disputed), in booking order; checked-in ones stay, shown as done. */
  bookings: LedgerBooking[];
  seats: number;
  seatsCheckedIn: number;
};

/** A slot is "due now" from when its first guest can be checked in (a signed code counts from
 *  CHECK_IN_OPENS_BEFORE_START before the start) until it ends. */
export const DUE_BEFORE_START = CHECK_IN_OPENS_BEFORE_START;

/** Who is due at the door: `dueNow`, the slots in progress or starting within `DUE_BEFORE_START` of `now`, and
 *  `next`, the `nextCount` slots after those. Slots without an open booking, and slots that have ended, are left
 *  out. */
export function deskQueue(
  ledger: { bookings: Iterable<LedgerBooking>; offerings: ReadonlyMap<number, LedgerOffering> },
  now: number,
  { nextCount = 5 }: { nextCount?: number } = {},
): { dueNow: DeskSlot[]; next: DeskSlot[] } {
  const slots = new Map<string, DeskSlot>();
  for (const booking of ledger.bookings) {
    if (!isOpen(booking)) continue;
    const offering = ledger.offerings.get(booking.offeringId);
    if (!offering) continue;
    const end = booking.slotStart + offering.slotLength;
    if (end <= now) continue;
    const key = `${booking.offeringId}:${booking.slotStart}`;
    let slot = slots.get(key);
    if (!slot) {
      slot = { key, offering, start: booking.slotStart, end, bookings: [], seats: 0, seatsCheckedIn: 0 };
      slots.set(key, slot);
    }
    slot.bookings.push(booking);
    slot.seats += booking.seats;
    if (booking.checkedIn) slot.seatsCheckedIn += booking.seats;
  }
  const ordered = [...slots.values()].sort((a, b) => a.start - b.start || a.offering.id - b.offering.id);
  for (const slot of ordered) slot.bookings.sort((a, b) => (a.bookingId < b.bookingId ? -1 : 1));
  const isDue = (slot: DeskSlot) => slot.start - DUE_BEFORE_START <= now;
  return { dueNow: ordered.filter(isDue), next: ordered.filter((slot) => !isDue(slot)).slice(0, nextCount) };
}

/** What the desk can do for one booking at `now`, from the rows (a pass scan may carry a signed code; that is the
 *  pass check's):
 *  - `done`: checked in; `closed`: not open any more (settled, cancelled);
 *  - `frozen`: disputed, the check-in state is the arbiter's now;
 *  - `noRole`: open, but this account may not check in;
 *  - `later`: no check-in of any kind is open before `opensAt` (the signed code's opening): the slot's time says
 *    enough, and a list of later slots stays short;
 *  - `word`: on the merchant's word, `open` inside its window (from the slot's start), with the window's times;
 *  - `signedOnly`: the offering takes only the customer's signed code (scanned from their pass), from `opensAt`;
 *  - `ended`: the slot is over, nobody can check in any more. */
export type DeskCheckIn =
  | { kind: "done"; customerSigned: boolean }
  | { kind: "closed" }
  | { kind: "frozen" }
  | { kind: "noRole" }
  | { kind: "ended"; closesAt: number }
  | { kind: "later"; opensAt: number }
  | { kind: "word"; open: boolean; opensAt: number; closesAt: number; signedOpensAt: number }
  | { kind: "signedOnly"; opensAt: number; closesAt: number };

export function deskCheckIn(
  booking: Pick<LedgerBooking, "status" | "checkedIn" | "checkIn" | "slotStart">,
  offering: Pick<LedgerOffering, "slotLength" | "checkInRule">,
  now: number,
  permissions: Pick<DeskPermissions, "checkIn">,
): DeskCheckIn {
  if (booking.checkedIn) return { kind: "done", customerSigned: booking.checkIn?.customerSigned ?? false };
  if (!isOpen(booking)) return { kind: "closed" };
  if (booking.status === BookingStatus.Disputed) return { kind: "frozen" };
  if (!permissions.checkIn) return { kind: "noRole" };
  const signed = checkInWindow(booking, offering, "customerSigned");
  if (now >= signed.closesAt) return { kind: "ended", closesAt: signed.closesAt };
  if (now < signed.opensAt) return { kind: "later", opensAt: signed.opensAt };
  if (offering.checkInRule === CheckInRule.CustomerSignature) return { kind: "signedOnly", ...signed };
  const word = checkInWindow(booking, offering, "merchantWord");
  return { kind: "word", open: now >= word.opensAt, ...word, signedOpensAt: signed.opensAt };
}
