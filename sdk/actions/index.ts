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
  type GetCustomerBookingsParameters,
  type GetCustomerBookingsReturnType,
} from "./get-customer-bookings.js";
export { verifyPass, type VerifyPassParameters, type VerifyPassReturnType } from "./verify-pass.js";
export {
  buildLedger,
  isOpen,
  type Ledger,
  type LedgerBooking,
  type LedgerOffering,
  type LedgerScope,
} from "./merchant-ledger.js";
export { readEscrowEvents } from "./merchant-events.js";
export { claimableBookings, planClaimBatches, totalsByToken, type ClaimableBooking } from "./merchant-claims.js";
