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
export { BPS, refundAt, refundBps, split, type CancellationTier, type SplitResult } from "./settlement.js";
export * from "./audit/index.js";
