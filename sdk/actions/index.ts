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
