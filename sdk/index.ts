export { earnestEscrowAbi, mockStablecoinAbi } from "./generated/abis.js";
export { deployments } from "./generated/deployments.js";
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

/** `BookingStatus` of contracts/EarnestEscrow.sol, by name. */
export const BookingStatus = {
  None: 0,
  Booked: 1,
  Disputed: 2,
  CustomerCancelled: 3,
  MerchantCancelled: 4,
  Resolved: 5,
  Fulfilled: 6,
  NoShow: 7,
} as const;
export type BookingStatus = (typeof BookingStatus)[keyof typeof BookingStatus];
