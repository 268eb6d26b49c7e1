// The verifier keeps its bookings packed (sdk/audit/booking-table.ts): what it reports of each must be exactly what
// the fold makes of the same events, whatever the bytes of the details hash or the words of a dispute.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foldEvents, verify, type Booking } from "@earnest/sdk";
import { C, DEPOSIT, history, id } from "../support/fabricated-events.js";

/** What the verification should say of a booking the fold holds. */
const expected = (b: Booking) => ({
  bookingId: b.bookingId,
  offeringId: b.offeringId,
  slotStart: b.slotStart,
  n: b.n,
  customer: b.customer.toLowerCase(),
  seats: b.seats,
  amount: b.amount,
  discount: b.discount,
  feeBps: b.feeBps,
  status: b.status,
  checkedIn: b.checkedIn,
  checkedInBy: b.checkIn ? b.checkIn.by.toLowerCase() : null,
  customerSigned: b.checkIn ? b.checkIn.customerSigned : null,
  disputed: b.disputed,
  disputeReason: b.dispute ? b.dispute.reason : null,
  bookedBlock: b.bookedBlock,
  settledBlock: b.settledBlock ?? null,
  refundBps: b.refundBps ?? null,
  customerShare: b.customerShare ?? null,
  merchantShare: b.merchantShare ?? null,
  fee: b.fee ?? null,
});

describe("audit: packed bookings", () => {
  it("reports every booking as the fold has it, separators in its hash and its dispute included", () => {
    const events = history();
    for (const e of events) {
      // A hash with the packing's separators (0x2c ",", 0x3a ":") and bytes above 0x7f; a reason with them too.
      if (e.eventName === "Booked" && e.args.bookingId === id(4)) {
        (e.args as { detailsHash: string }).detailsHash = `0x${"2c3aff00".repeat(8)}`;
      }
      if (e.eventName === "Disputed" && e.args.bookingId === id(7)) {
        (e.args as { reason: string }).reason = 'Closed, said: "come back",, later: 你好';
      }
    }
    const fold = foldEvents(events);
    const v = verify(events, null);
    assert.equal(v.bookings.size, fold.bookings.size);
    // In the order they were booked, as the fold has them.
    assert.deepEqual([...v.bookings.keys()], [...fold.bookings.keys()]);
    for (const b of fold.bookings.values()) assert.deepEqual(v.bookings.get(b.bookingId), expected(b));
    assert.equal(v.bookings.get(id(7))?.disputeReason, 'Closed, said: "come back",, later: 你好');
    assert.equal(v.bookings.get(id(1))?.customer, C.toLowerCase());
    assert.equal(v.bookings.get(id(1))?.amount, DEPOSIT);
    assert.equal(v.bookings.get(id(99)), undefined);
    assert.equal(v.bookings.has(id(99)), false);
    assert.deepEqual(
      [...v.bookings.values()].map((b) => b.bookingId),
      [...fold.bookings.keys()],
    );
  });
});
