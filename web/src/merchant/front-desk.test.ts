import { describe, expect, it } from "vitest";
import {
  BookingStatus,
  CheckInRule,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  STAFF_COUPONS,
  type LedgerBooking,
  type LedgerOffering,
} from "@earnest/sdk";
import { deskCheckIn, deskPermissions, deskQueue } from "./front-desk";

const HOUR = 3600;
const NOW = 1_900_000_000;

function offering(id: number, over: Partial<LedgerOffering> = {}): LedgerOffering {
  return { id, slotLength: HOUR, checkInRule: CheckInRule.MerchantWord, seatsPerSlot: 4, ...over } as LedgerOffering;
}

let nextId = 1n;
function booking(offeringId: number, slotStart: number, over: Partial<LedgerBooking> = {}): LedgerBooking {
  return {
    bookingId: nextId++,
    offeringId,
    slotStart,
    seats: 1,
    status: BookingStatus.Booked,
    checkedIn: false,
    ...over,
  } as LedgerBooking;
}

const offerings = new Map([
  [1, offering(1)],
  [2, offering(2, { slotLength: 2 * HOUR, checkInRule: CheckInRule.CustomerSignature })],
]);

describe("deskQueue", () => {
  it("puts slots in progress or starting within the hour under due now, the following ones under next", () => {
    const started = booking(1, NOW - 30 * 60); // in progress
    const soon = booking(2, NOW + 45 * 60); // signed codes count already
    const later = booking(1, NOW + 2 * HOUR);
    const tomorrow = booking(1, NOW + 24 * HOUR);
    const over = booking(1, NOW - HOUR); // ended exactly now
    const { dueNow, next } = deskQueue({ bookings: [tomorrow, later, soon, started, over], offerings }, NOW);
    expect(dueNow.map((slot) => slot.bookings.map((b) => b.bookingId))).toEqual([
      [started.bookingId],
      [soon.bookingId],
    ]);
    expect(next.map((slot) => slot.start)).toEqual([NOW + 2 * HOUR, NOW + 24 * HOUR]);
    expect(dueNow[1].end).toBe(NOW + 45 * 60 + 2 * HOUR);
  });

  it("lists open bookings only, keeps checked-in ones as done, and counts the seats", () => {
    const start = NOW + 10 * 60;
    const here = booking(1, start, { seats: 2, checkedIn: true });
    const waiting = booking(1, start, { seats: 3 });
    const disputed = booking(1, start, { status: BookingStatus.Disputed });
    const cancelled = booking(1, start, { status: BookingStatus.CustomerCancelled });
    const refunded = booking(1, start, { status: BookingStatus.MerchantCancelled });
    const { dueNow } = deskQueue({ bookings: [waiting, cancelled, here, refunded, disputed], offerings }, NOW);
    expect(dueNow).toHaveLength(1);
    expect(dueNow[0].bookings.map((b) => b.bookingId)).toEqual([here.bookingId, waiting.bookingId, disputed.bookingId]);
    expect(dueNow[0].seats).toBe(6);
    expect(dueNow[0].seatsCheckedIn).toBe(2);
  });

  it("leaves out slots with nothing open and limits next to the count asked for", () => {
    const bookings = [1, 2, 3, 4].map((h) => booking(1, NOW + (h + 1) * HOUR));
    bookings.push(booking(1, NOW + 20 * 60, { status: BookingStatus.Fulfilled }));
    const { dueNow, next } = deskQueue({ bookings, offerings }, NOW, { nextCount: 3 });
    expect(dueNow).toEqual([]);
    expect(next.map((slot) => slot.start)).toEqual([2, 3, 4].map((h) => NOW + h * HOUR));
  });

  it("orders slots starting together by offering", () => {
    const b = booking(2, NOW);
    const a = booking(1, NOW);
    expect(deskQueue({ bookings: [b, a], offerings }, NOW).dueNow.map((slot) => slot.offering.id)).toEqual([1, 2]);
  });
});

describe("deskPermissions", () => {
  it("gives each role its own move and nobody claim, payout or offerings", () => {
    expect(deskPermissions(STAFF_CHECK_IN)).toEqual({
      checkIn: true,
      cancel: false,
      coupons: false,
      claim: false,
      payout: false,
      offerings: false,
    });
    expect(deskPermissions(STAFF_CANCEL)).toMatchObject({ checkIn: false, cancel: true, coupons: false });
    expect(deskPermissions(STAFF_COUPONS)).toMatchObject({ checkIn: false, cancel: false, coupons: true });
    expect(deskPermissions(0)).toMatchObject({ checkIn: false, cancel: false, coupons: false });
    const everything = deskPermissions(STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS);
    expect(everything).toEqual({
      checkIn: true,
      cancel: true,
      coupons: true,
      claim: false,
      payout: false,
      offerings: false,
    });
  });
});

describe("deskCheckIn", () => {
  const may = { checkIn: true };
  const word = offerings.get(1)!;
  const signedOnly = offerings.get(2)!;

  it("opens the merchant's word at the slot's start, not at the signed code's hour before", () => {
    const start = NOW + 30 * 60;
    const before = deskCheckIn(booking(1, start), word, NOW, may);
    expect(before).toEqual({
      kind: "word",
      open: false,
      opensAt: start,
      closesAt: start + HOUR,
      signedOpensAt: start - HOUR,
    });
    expect(deskCheckIn(booking(1, start), word, start, may)).toMatchObject({ kind: "word", open: true });
    // More than an hour ahead, nothing is open yet of either kind.
    expect(deskCheckIn(booking(1, start), word, start - HOUR - 1, may)).toEqual({
      kind: "later",
      opensAt: start - HOUR,
    });
    expect(deskCheckIn(booking(1, start), word, start + HOUR, may)).toEqual({ kind: "ended", closesAt: start + HOUR });
  });

  it("asks for the customer's signed code on offerings that take only that", () => {
    expect(deskCheckIn(booking(2, NOW + 2 * HOUR), signedOnly, NOW, may)).toEqual({
      kind: "later",
      opensAt: NOW + HOUR,
    });
    expect(deskCheckIn(booking(2, NOW), signedOnly, NOW, may)).toEqual({
      kind: "signedOnly",
      opensAt: NOW - HOUR,
      closesAt: NOW + 2 * HOUR,
    });
  });

  it("shows done, frozen, closed and no-role bookings without a check-in", () => {
    const signed = booking(1, NOW, {
      checkedIn: true,
      checkIn: { customerSigned: true } as LedgerBooking["checkIn"],
    });
    expect(deskCheckIn(signed, word, NOW, may)).toEqual({ kind: "done", customerSigned: true });
    expect(deskCheckIn(booking(1, NOW, { status: BookingStatus.Disputed }), word, NOW, may)).toEqual({
      kind: "frozen",
    });
    expect(deskCheckIn(booking(1, NOW, { status: BookingStatus.Fulfilled }), word, NOW, may)).toEqual({
      kind: "closed",
    });
    expect(deskCheckIn(booking(1, NOW), word, NOW, deskPermissions(STAFF_CANCEL))).toEqual({ kind: "noRole" });
  });
});
