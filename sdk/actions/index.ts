export { readMany } from "./read-many.js";
export {
  getOfferings,
  nativeToken,
  type GetOfferingsParameters,
  type GetOfferingsReturnType,
  type MerchantInfo,
  type TokenInfo,
} from "./get-offerings.js";
export { getSlots, type GetSlotsParameters, type GetSlotsReturnType } from "./get-slots.js";
export {
  getCustomerBookings,
  type CustomerBooking,
  type GetCustomerBookingsErrorType,
  type GetCustomerBookingsParameters,
  type GetCustomerBookingsReturnType,
} from "./get-customer-bookings.js";
export {
  verifyPass,
  type PassBooking,
  type VerifyPassErrorType,
  type VerifyPassParameters,
  type VerifyPassReturnType,
} from "./verify-pass.js";
export {
  readEscrowEvents,
  type ReadEscrowEventsErrorType,
  type ReadEscrowEventsParameters,
  type ReadEscrowEventsReturnType,
} from "./read-escrow-events.js";
export {
  getTokenDomain,
  type GetTokenDomainErrorType,
  type GetTokenDomainParameters,
  type GetTokenDomainReturnType,
  type TokenDomain,
} from "./get-token-domain.js";
export {
  getPermitDomain,
  type GetPermitDomainErrorType,
  type GetPermitDomainParameters,
  type GetPermitDomainReturnType,
} from "./get-permit-domain.js";
export {
  supportsAuthorization,
  type SupportsAuthorizationErrorType,
  type SupportsAuthorizationParameters,
  type SupportsAuthorizationReturnType,
} from "./supports-authorization.js";
export {
  readReviews,
  summarizeRatings,
  type RatingSummary,
  type ReadReviewsErrorType,
  type ReadReviewsParameters,
  type ReadReviewsReturnType,
  type Review,
} from "./read-reviews.js";
export {
  readReviewEvents,
  type AnsweredEvent,
  type ReadReviewEventsErrorType,
  type ReadReviewEventsParameters,
  type ReadReviewEventsReturnType,
  type ReviewedEvent,
} from "./read-review-events.js";
