import { getContractEvents } from "viem/actions";
import type { Address, Client, Hex } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { BookingView } from "../types.js";
import { readMany } from "./read-many.js";

export type GetCustomerBookingsParameters = { escrow: Address; customer: Address; fromBlock: bigint };
export type CustomerBooking = BookingView & { detailsHash: Hex };
export type GetCustomerBookingsReturnType = CustomerBooking[];

/** Ids read per `getBookings` call. */
const CHUNK = 250;

/** The customer's bookings, newest first: their `Booked` events (one `eth_getLogs`, filtered by the indexed
 *  customer) and then their current state (one `getBookings` per 250). */
export async function getCustomerBookings(
  client: Client,
  { escrow, customer, fromBlock }: GetCustomerBookingsParameters,
): Promise<GetCustomerBookingsReturnType> {
  const events = await getContractEvents(client, {
    address: escrow,
    abi: earnestEscrowAbi,
    eventName: "Booked",
    args: { customer },
    fromBlock,
    strict: true,
  });
  const ids = events.map((e) => e.args.bookingId);
  const calls = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    calls.push({
      address: escrow,
      abi: earnestEscrowAbi,
      functionName: "getBookings",
      args: [ids.slice(i, i + CHUNK)],
    } as const);
  }
  const views = calls.length === 0 ? [] : (await readMany(client, calls)).flat();
  return views.map((view, i) => ({ ...view, detailsHash: events[i].args.detailsHash })).reverse();
}
