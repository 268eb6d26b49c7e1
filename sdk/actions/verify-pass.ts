import type { Client } from "viem";
import { getBlockNumber } from "viem/actions";
import { foldEvents } from "../fold/apply-event.js";
import { toBookingView, type CheckIn, type Dispute } from "../fold/state.js";
import { hashDetails, type BookingPass } from "../pass.js";
import { readBookingEvents, type ReadBookingEventsErrorType } from "../reader/read-booking-events.js";
import { createRpc } from "../reader/rpc.js";
import type { BookingView } from "../types.js";

export type VerifyPassParameters = { pass: BookingPass; fromBlock: bigint };

/** The booking as its view shows it, with how it was checked in and the customer's dispute, if they happened. */
export type PassBooking = BookingView & { checkIn?: CheckIn; dispute?: Dispute };

export type VerifyPassReturnType =
  | { result: "unknownBooking" }
  | { result: "mismatch"; booking: PassBooking }
  | { result: "valid"; booking: PassBooking };

export type VerifyPassErrorType = ReadBookingEventsErrorType;

/** Checks a pass against the chain: the booking exists, and the details and salt hash to the `detailsHash` its
 *  `Booked` event committed to. The booking's state is its events folded (sdk/fold). The client must be on the
 *  pass's chain. */
export async function verifyPass(
  client: Client,
  { pass, fromBlock }: VerifyPassParameters,
): Promise<VerifyPassReturnType> {
  const toBlock = await getBlockNumber(client, { cacheTime: 0 });
  const events = await readBookingEvents(createRpc(client), {
    escrow: pass.escrow,
    fromBlock,
    toBlock,
    booked: { bookingId: pass.bookingId },
  });
  const booked = foldEvents(events).bookings.get(pass.bookingId);
  if (!booked) return { result: "unknownBooking" };
  const booking = { ...toBookingView(booked), checkIn: booked.checkIn, dispute: booked.dispute };
  return hashDetails(pass.details, pass.salt) === booked.detailsHash
    ? { result: "valid", booking }
    : { result: "mismatch", booking };
}
