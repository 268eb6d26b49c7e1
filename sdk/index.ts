// @earnest/sdk. generated/: bindings from the compiler; reader/: the one way to read the chain (JSON-RPC with
// timeouts and jittered retries, adaptive log ranges, a resumable log cache); fold/: the one place that knows how an
// escrow event changes the state; ledger/: a merchant's or arbiter's view of that state, and what it can claim;
// audit/: the verifier, checks layered over the fold; actions/: reads for the dApp, one per file.
export { earnestEscrowAbi, erc3009Abi, mockStablecoinAbi, mockUsdcAbi, verifiedReviewsAbi } from "./generated/abis.js";
export { deployments } from "./generated/deployments.js";
export { BookingStatus, BookingStatusNames, CheckInRule, CheckInRuleNames } from "./generated/enums.js";
// The contracts' numeric constants; `BPS` is exported as a bigint by settlement.ts.
export {
  CHECK_IN_OPENS_BEFORE_START,
  MAX_ARBITER_TIMEOUT,
  MAX_DISPUTE_WINDOW,
  MAX_DISPUTE_REASON_BYTES,
  MAX_FEE_BPS,
  MAX_METADATA_BYTES,
  MAX_NAME_BYTES,
  MAX_SLOT_LENGTH,
  MAX_TEXT_BYTES as MAX_REVIEW_TEXT_BYTES,
  MAX_TIERS,
  PUSH_GAS,
  REVIEW_WINDOW,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  STAFF_COUPONS,
  TOKEN_PUSH_GAS,
} from "./generated/constants.js";
export type { BookingView, EscrowEvent, EscrowEventName, EscrowEventOf } from "./types.js";
export { decodeBookingId, encodeBookingId, InvalidBookingIdError, type BookingIdParts } from "./booking-id.js";
export {
  bookingAuthorizationMessage,
  bookingIntentTypes,
  checkInTypes,
  couponDomain,
  hashBookingIntent,
  receiveWithAuthorizationTypes,
  type BookingIntent,
  couponTypes,
  escrowDomain,
  noCoupon,
  permitArgs,
  permitTypes,
  type Coupon,
  type PermitArgs,
} from "./typed-data.js";
export {
  BPS,
  canCancel,
  canCheckIn,
  canDispute,
  canSettle,
  checkInWindow,
  refundAt,
  refundBps,
  rulingDeadline,
  settlesAt,
  split,
  type CancellationTier,
  type CheckInKind,
  type CustomerActionBooking,
  type SplitResult,
} from "./settlement.js";
export * from "./fold/index.js";
export * from "./reader/index.js";
export * from "./ledger/index.js";
export * from "./audit/index.js";
export * from "./actions/index.js";
export { classifyError, errorNames, type Failure } from "./errors.js";
export { isBookable, parseMetadata, slotsBetween, type OfferingInfo, type OfferingMetadata } from "./offering.js";
export {
  clockMinutes,
  parseOpeningHours,
  withinOpeningHours,
  type OpeningHours,
  type OpeningPeriod,
} from "./opening-hours.js";
export {
  checkInTypedData,
  decodePass,
  encodePass,
  hashDetails,
  InvalidPassError,
  newSalt,
  type BookingDetails,
  type BookingPass,
} from "./pass.js";
export {
  describeCancellation,
  describeCheckIn,
  describeDisputes,
  describeFee,
  describeNoShow,
  describePolicy,
  describeSettlement,
  formatDuration,
  formatShare,
  nextRefundDrop,
  type PolicyLocale,
  type PolicyTerms,
  type PolicyText,
} from "./policy.js";
export { decodeCouponLink, encodeCouponLink, InvalidCouponLinkError, type SignedCoupon } from "./coupon-link.js";
export {
  LOYALTY_COUPON_LIFETIME,
  LOYALTY_DISCOUNT_BPS,
  LOYALTY_VISITS,
  loyaltyCoupon,
  loyaltyProgress,
  loyaltySalt,
  parseLoyaltyRule,
  rewardEarnedAt,
  type LoyaltyCouponInput,
  type LoyaltyProgress,
  type LoyaltyRule,
} from "./loyalty.js";
export {
  validateTerms,
  type OfferingTerms,
  type TermsContext,
  type TermsProblem,
  type TermsProblemCode,
  type NumericField,
} from "./terms.js";
export { analyze, analyticsCsv, periodOf, LEAD_TIME_BOUNDS, type Analytics, type Period } from "./analytics.js";
export * from "./relayer/index.js";
