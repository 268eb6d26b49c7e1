// The relayer protocol: the signed booking on the wire, the client that submits it, and the refusals the relayer
// answers with (services/relayer implements the other side).
export {
  encodeSignedBooking,
  InvalidSignedBookingError,
  parseSignedBooking,
  type SignedBooking,
  type SignedBookingPayment,
} from "./signed-booking.js";
export {
  submitSignedBooking,
  type SubmitSignedBookingErrorType,
  type SubmitSignedBookingParameters,
  type SubmitSignedBookingReturnType,
} from "./submit-signed-booking.js";
export {
  getRelayerInfo,
  type GetRelayerInfoErrorType,
  type GetRelayerInfoParameters,
  type GetRelayerInfoReturnType,
} from "./get-relayer-info.js";
export {
  isRelayerRefusalCode,
  RelayerRefusedError,
  relayerRefusalCodes,
  relayerRefusalStatus,
  RelayerUnreachableError,
  type RelayerBookingAnswer,
  type RelayerRefusalBody,
  type RelayerRefusalCode,
  type RelayerRefusedErrorType,
  type RelayerUnreachableErrorType,
} from "./refusals.js";
export type { Fetch as RelayerFetch } from "./request.js";
