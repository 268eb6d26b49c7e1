import type { Address, Client, Hex } from "viem";
import { getBlockNumber } from "viem/actions";
import { foldEvents } from "../fold/apply-event.js";
import { toBookingView, type CheckIn, type Dispute } from "../fold/state.js";
import type { ReadBookingEventsErrorType } from "../reader/read-booking-events.js";
import { readBookingEvents } from "../reader/read-booking-events.js";
import { createRpc } from "../reader/rpc.js";
import type { BookingView } from "../types.js";

export type GetCustomerBookingsParameters = {
  escrow: Address;
  customer: Address;
  fromBlock: bigint;
  /** First log range in blocks; it shrinks when the provider refuses a range (see `readLogs`). */
  initialChunk?: number;
};
/** A booking as its view shows it, with the details commitment, how it was checked in and the customer's dispute
 *  (undefined until they happen). */
export type CustomerBooking = BookingView & { detailsHash: Hex; checkIn?: CheckIn; dispute?: Dispute };
export type GetCustomerBookingsReturnType = CustomerBooking[];
export type GetCustomerBookingsErrorType = ReadBookingEventsErrorType;

/** The customer's bookings, newest first, as their events leave them: the `Booked` events filtered by the indexed
 *  customer, then what happened to those bookings since, folded (sdk/fold) into each booking's state. */
export async function getCustomerBookings(
  client: Client,
  { escrow, customer, fromBlock, initialChunk }: GetCustomerBookingsParameters,
): Promise<GetCustomerBookingsReturnType> {
  const toBlock = await getBlockNumber(client, { cacheTime: 0 });
  const events = await readBookingEvents(createRpc(client), {
    escrow,
    fromBlock,
    toBlock,
    booked: { customer },
    initialChunk,
  });
  const { bookings } = foldEvents(events);
  return [...bookings.values()]
    .map((b) => ({ ...toBookingView(b), detailsHash: b.detailsHash, checkIn: b.checkIn, dispute: b.dispute }))
    .reverse();
}
