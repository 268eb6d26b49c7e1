export { earnestEscrowAbi, mockStablecoinAbi } from "./generated/abis.js";
export { deployments } from "./generated/deployments.js";
export { BookingStatus } from "./generated/enums.js";
export type { BookingView } from "./types.js";
export { decodeBookingId, encodeBookingId, InvalidBookingIdError, type BookingIdParts } from "./booking-id.js";
export {
  couponDomain,
  couponTypes,
  noCoupon,
  permitArgs,
  permitTypes,
  type Coupon,
  type PermitArgs,
} from "./typed-data.js";
export { BPS, refundAt, refundBps, settlesAt, split, type CancellationTier, type SplitResult } from "./settlement.js";
export * from "./audit/index.js";
export * from "./actions/index.js";
export { classifyError, errorNames, type Failure } from "./errors.js";
export { isBookable, parseMetadata, slotsBetween, type OfferingInfo, type OfferingMetadata } from "./offering.js";
export {
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
  describeDisputes,
  describeNoShow,
  describePolicy,
  formatDuration,
  formatShare,
  nextRefundDrop,
  type PolicyLocale,
  type PolicyTerms,
  type PolicyText,
} from "./policy.js";
export { decodeCouponLink, encodeCouponLink, InvalidCouponLinkError, type SignedCoupon } from "./coupon-link.js";
export {
  validateTerms,
  MAX_TIERS,
  MAX_DISPUTE_WINDOW,
  MAX_ARBITER_TIMEOUT,
  MAX_METADATA_BYTES,
  type OfferingTerms,
  type TermsProblem,
  type TermsProblemCode,
  type NumericField,
} from "./terms.js";
export { analyze, analyticsCsv, periodOf, LEAD_TIME_BOUNDS, type Analytics, type Period } from "./analytics.js";
