// Sends a customer's signed booking to a relayer and waits for its answer: the booking on chain. Re-sending the
// same booking is safe; the relayer answers it again (also after it restarted).
import { isHex, type Hex } from "viem";
import { relayerRequest, relayerUrl, type Fetch } from "./request.js";
import { RelayerUnreachableError, type RelayerRefusedErrorType, type RelayerUnreachableErrorType } from "./refusals.js";
import { encodeSignedBooking, type SignedBooking } from "./signed-booking.js";

export type SubmitSignedBookingParameters = {
  /** The relayer's base URL (the offering's or merchant's metadata `relayer`). */
  url: string;
  booking: SignedBooking;
  /** Defaults to the global `fetch`. */
  fetch?: Fetch;
  signal?: AbortSignal;
};

export type SubmitSignedBookingReturnType = { bookingId: bigint; transactionHash: Hex; blockNumber: bigint };

export type SubmitSignedBookingErrorType = RelayerRefusedErrorType | RelayerUnreachableErrorType;

const decimal = (value: unknown): value is string => typeof value === "string" && /^[0-9]{1,78}$/.test(value);

export async function submitSignedBooking({
  url,
  booking,
  fetch,
  signal,
}: SubmitSignedBookingParameters): Promise<SubmitSignedBookingReturnType> {
  const endpoint = relayerUrl(url, "/bookings");
  const body = (await relayerRequest(
    endpoint,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(encodeSignedBooking(booking)),
      signal,
    },
    fetch,
  )) as Record<string, unknown> | null;
  if (
    !body ||
    !decimal(body.bookingId) ||
    !decimal(body.blockNumber) ||
    typeof body.transactionHash !== "string" ||
    !isHex(body.transactionHash) ||
    body.transactionHash.length !== 66
  ) {
    throw new RelayerUnreachableError({ url: endpoint, cause: new Error("The answer is not a booking") });
  }
  return {
    bookingId: BigInt(body.bookingId),
    transactionHash: body.transactionHash,
    blockNumber: BigInt(body.blockNumber),
  };
}
