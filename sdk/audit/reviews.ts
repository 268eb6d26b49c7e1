// Every review checked against its booking (contracts/VerifiedReviews.sol, SPEC §6): written by the booking's
// customer, once, after it settled as fulfilled and within the window; every answer by the offering's merchant, once,
// after the review. A review the rules would refuse means the reviews contract is not the one it claims to be.
import { zeroAddress, type Address } from "viem";
import { MAX_TEXT_BYTES, REVIEW_WINDOW } from "../generated/constants.js";
import { BookingStatus, BookingStatusNames } from "../generated/enums.js";
import type { AnsweredEvent, ReviewedEvent } from "../actions/read-review-events.js";
import { findingMessage, type FindingText } from "./finding-text.js";
import type { Finding, RebuiltOffering, Verification } from "./types.js";

const utf8 = new TextEncoder();
const lower = (a: Address) => a.toLowerCase() as Address;

/** The last moment a booking may be reviewed, as `VerifiedReviews.reviewClosesAt` computes it. */
export function reviewClosesAt(
  slotStart: number,
  offering: Pick<RebuiltOffering, "slotLength" | "disputeWindow" | "arbiter" | "arbiterTimeout">,
): number {
  const arbiterTime = offering.arbiter.toLowerCase() === zeroAddress ? 0 : offering.arbiterTimeout;
  return slotStart + offering.slotLength + offering.disputeWindow + arbiterTime + REVIEW_WINDOW;
}

/** The findings of a reviews contract's events against the rebuilt bookings and offerings. */
export function reviewFindings(
  events: { reviewed: readonly ReviewedEvent[]; answered: readonly AnsweredEvent[] },
  v: Pick<Verification, "bookings" | "offerings">,
): Finding[] {
  const findings: Finding[] = [];
  const finding = (e: ReviewedEvent | AnsweredEvent, text: FindingText, values: Record<string, string> = {}) =>
    findings.push({
      kind: "review-mismatch",
      text,
      values,
      message: findingMessage(text, values),
      bookingId: e.bookingId,
      block: e.blockNumber,
      logIndex: e.logIndex,
    });
  const reviewedIn = new Map<bigint, bigint>();
  for (const r of events.reviewed) {
    const booking = v.bookings.get(r.bookingId);
    if (reviewedIn.has(r.bookingId)) finding(r, "reviewedTwice");
    else reviewedIn.set(r.bookingId, r.blockNumber);
    if (r.rating < 1 || r.rating > 5) finding(r, "reviewRatingInvalid", { rating: String(r.rating) });
    const length = utf8.encode(r.text).length;
    if (length > MAX_TEXT_BYTES)
      finding(r, "reviewTextTooLong", { length: String(length), max: String(MAX_TEXT_BYTES) });
    if (!booking) {
      finding(r, "reviewNeverBooked");
      continue;
    }
    if (booking.offeringId !== r.offeringId) {
      finding(r, "reviewWrongOffering", { offeringId: String(r.offeringId), expected: String(booking.offeringId) });
    }
    if (booking.customer !== lower(r.customer)) finding(r, "reviewByOther", { by: lower(r.customer) });
    const settledBefore = booking.settledBlock !== null && booking.settledBlock <= r.blockNumber;
    if (booking.status !== BookingStatus.Fulfilled || !settledBefore) {
      const status = settledBefore ? BookingStatusNames[booking.status] : BookingStatusNames[BookingStatus.Booked];
      finding(r, "reviewNotFulfilled", { status });
    }
    const offering = v.offerings.get(booking.offeringId);
    const closesAt = offering ? reviewClosesAt(booking.slotStart, offering) : undefined;
    if (closesAt !== undefined && r.timestamp > closesAt) {
      finding(r, "reviewTooLate", { at: String(r.timestamp), closesAt: String(closesAt) });
    }
  }
  const answeredBookings = new Set<bigint>();
  for (const a of events.answered) {
    const reviewBlock = reviewedIn.get(a.bookingId);
    if (reviewBlock === undefined || reviewBlock > a.blockNumber) finding(a, "answerWithoutReview");
    if (answeredBookings.has(a.bookingId)) finding(a, "answeredTwice");
    answeredBookings.add(a.bookingId);
    const length = utf8.encode(a.text).length;
    if (length > MAX_TEXT_BYTES)
      finding(a, "answerTextTooLong", { length: String(length), max: String(MAX_TEXT_BYTES) });
    const booking = v.bookings.get(a.bookingId);
    const merchant = booking && v.offerings.get(booking.offeringId)?.merchant;
    if (merchant && merchant !== lower(a.merchant)) finding(a, "answerByOther", { by: lower(a.merchant) });
  }
  return findings;
}
