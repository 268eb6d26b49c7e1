// The verifier's sentences, by key. The report and the CLI show them in English (`Finding.message`); the dApp
// translates the same keys (`findingText.*` in its audit locale) and fills them with the same `Finding.values`, so
// the page and the report say the same thing. No Node APIs or React here: both sides import it.

export const findingTexts = {
  // Booking ids, offerings and the state a booking is made in.
  neverBooked: "{{event}} for a booking never booked",
  bookingIdMismatch: "booking id does not encode its offering and slot",
  invalidBookingId: "not a valid booking id",
  unknownOffering: "booked unknown offering {{offeringId}}",
  bookedTwice: "booked twice",
  bookedInactive: "booked while the offering was inactive",
  bookedPaused: "booked while bookings were paused",
  tokenNotAllowed: "booked in a token not allowed",
  zeroSeats: "booked zero seats",
  offGrid: "slot start is off the offering's grid",
  outsideBookingWindow: "booked outside the booking window",
  numberOutOfOrder: "booking number {{n}} out of order (expected {{expected}})",
  overbooked: "slot {{slotStart}} holds {{seats}} seats, the offering allows {{seatsPerSlot}}",
  amountMismatch: "amount {{amount}} + discount {{discount}} is not {{seats}} seats × {{depositPerSeat}}",

  // The protocol fee.
  feeSetAboveCap: "fee set to {{feeBps}} bps, above the cap of {{cap}}",
  snapshotAboveCap: "fee snapshot {{feeBps}} bps is above the cap of {{cap}}",
  snapshotMismatch: "fee snapshot {{feeBps}} bps, the fee in force was {{inForce}} bps",

  // Check-in and disputes.
  checkedInWhile: "checked in while {{status}}",
  checkedInTwice: "checked in twice",
  checkInOutsideWindow: "checked in outside the check-in window",
  disputedWhile: "disputed while {{status}}",
  disputedWithoutArbiter: "disputed on an offering without an arbiter",
  disputeOutsideWindow: "disputed outside the dispute window",

  // Settlement.
  settledWhile: "settled as {{outcome}} while {{status}}",
  notAnOutcome: "settled with outcome {{outcome}}, which is not an outcome",
  customerCancelledDisputed: "cancelled by the customer while disputed",
  customerCancelledAfterCheckIn: "cancelled by the customer after check-in",
  customerCancelledAfterStart: "cancelled by the customer after the slot started",
  resolvedWithoutDispute: "resolved without a dispute",
  resolvedAfterDeadline: "resolved after the arbiter's deadline",
  fulfilledWithoutCheckIn: "fulfilled without check-in",
  noShowAfterCheckIn: "no-show after check-in",
  claimedEarly: "claimed before the slot and dispute window passed",
  claimedBeforeRuling: "claimed while the arbiter could still rule",
  wrongRefundShare: "{{outcome}} with refund share {{refundBps}} bps, the rules give {{expected}} bps",
  sharesDoNotSum: "shares {{customerShare}} + {{merchantShare}} + {{fee}} do not sum to the amount {{amount}}",
  feeAboveSnapshot: "fee {{fee}} is above {{expectedFee}}, the booking's {{feeBps}} bps snapshot",
  wrongSplit:
    "split {{customerShare}}/{{merchantShare}}/{{fee}}, the rule gives {{expectedCustomerShare}}/{{expectedMerchantShare}}/{{expectedFee}}",

  // Claims, credits and fee withdrawals.
  claimAmountMismatch: "claimed {{amount}}, the settled bookings give the merchant {{expected}}",
  claimWrongPayout: "claim paid to {{payout}}, not the merchant's payout address",
  claimWithoutEvent: "claim without a Claimed event",
  creditAbovePayable: "credited {{amount}}, more than the {{payable}} paid to it in that transaction",
  creditWithdrawalMismatch: "withdrew {{amount}}, the credit was {{credit}}",
  feesWithdrawalMismatch: "withdrew {{amount}} in fees, {{owed}} were owed",

  // The books against the contract's views and balance.
  shortfall: "escrow holds {{balance}}, owes {{owed}} (short {{short}})",
  bookingNotRead: "booking: events say booked, the contract says nothing (not read)",
  viewMismatch: "{{field}}: events say {{rebuilt}}, the contract says {{view}}",
  creditViewMismatch: "credits add up to {{rebuilt}}, the contract says {{view}}",
  feesViewMismatch: "fees add up to {{rebuilt}}, the contract says {{view}}",
} as const;

export type FindingText = keyof typeof findingTexts;

/** The English sentence for `text`, its {{placeholders}} filled from `values` (a missing value stays visible). */
export function findingMessage(text: FindingText, values: Record<string, string> = {}): string {
  return findingTexts[text].replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => values[name] ?? match);
}
