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
  feeAboveOfferingMax: "fee snapshot {{feeBps}} bps is above the {{maxFeeBps}} bps the offering accepts",

  // Offerings: an independent arbiter, and terms that let every booking settle in bounded time.
  arbiterIsParty: "arbiter {{arbiter}} is the offering's merchant or its payout address",
  payoutIsArbiter: "payout address {{payout}} is the arbiter of the merchant's offering {{offeringId}}",
  arbiterBooked: "booked by the offering's arbiter",
  slotTooLong: "slot length {{slotLength}} s is above the {{max}} s limit",
  disputeWindowTooLong: "dispute window {{disputeWindow}} s is above the {{max}} s limit",
  arbiterTimeoutInvalid: "arbiter timeout {{arbiterTimeout}} s is not between 1 s and {{max}} s",

  // Staff and who may act for a merchant.
  staffByUnregistered: "staff roles set by {{merchant}}, which is not a registered merchant",
  invalidStaff: "staff roles given to {{staff}}, which cannot be staff",
  unknownStaffRoles: "staff roles {{roles}} include bits that are not roles",
  checkInByUnauthorized: "checked in by {{by}}, neither the merchant nor its check-in staff",
  cancelByUnauthorized: "cancelled for the merchant by {{caller}}, neither the merchant nor its cancel staff",
  checkInMovedFunds: "a check-in moved {{amount}} to {{account}}; check-ins move no funds",
  cancelPaidOther:
    "a cancellation by the merchant or its staff paid {{amount}} to {{account}}, not the booking's customer",

  // The protocol fee.
  feeSetAboveCap: "fee set to {{feeBps}} bps, above the cap of {{cap}}",
  snapshotAboveCap: "fee snapshot {{feeBps}} bps is above the cap of {{cap}}",
  snapshotMismatch: "fee snapshot {{feeBps}} bps, the fee in force was {{inForce}} bps",

  // Check-in and disputes.
  checkedInWhile: "checked in while {{status}}",
  checkedInTwice: "checked in twice",
  checkInOutsideWindow: "checked in outside the check-in window",
  merchantWordBeforeStart: "checked in on the merchant's word before the slot started",
  merchantWordRefused: "checked in on the merchant's word on an offering that accepts only the customer's signature",
  disputedWhile: "disputed while {{status}}",
  disputedWithoutArbiter: "disputed on an offering without an arbiter",
  disputeOutsideWindow: "disputed outside the dispute window",
  disputeReasonTooLong: "dispute reason of {{length}} bytes, above the {{max}}-byte limit",

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
  timedOutFulfilledWithoutCheckIn: "fulfilled after the arbiter timed out, though not checked in when disputed",
  timedOutNoShowAfterCheckIn: "no-show after the arbiter timed out, though checked in when disputed",
  claimedEarly: "settled before the slot and dispute window passed",
  claimedBeforeRuling: "settled while the arbiter could still rule",
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

  // Verified reviews against their bookings.
  reviewNeverBooked: "review of a booking never booked",
  reviewWrongOffering: "review names offering {{offeringId}}, the booking is of offering {{expected}}",
  reviewByOther: "reviewed by {{by}}, not the booking's customer",
  reviewNotFulfilled: "reviewed while {{status}}; only a fulfilled booking may be reviewed",
  reviewTooLate: "reviewed at {{at}}, after the review window closed at {{closesAt}}",
  reviewedTwice: "reviewed twice",
  reviewRatingInvalid: "rating {{rating}} is not 1 to 5",
  reviewTextTooLong: "review of {{length}} bytes, above the {{max}}-byte limit",
  answerWithoutReview: "answered before any review",
  answerByOther: "answered by {{by}}, not the offering's merchant",
  answeredTwice: "answered twice",
  answerTextTooLong: "answer of {{length}} bytes, above the {{max}}-byte limit",

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
