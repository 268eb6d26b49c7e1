import { decodeEventLog, encodeEventTopics, type Address, type Client, type Hex } from "viem";
import { getBlockNumber } from "viem/actions";
import { earnestEscrowAbi } from "../generated/abis.js";
import { readLogs } from "../audit/reader.js";
import { createRpc } from "../audit/rpc.js";
import type { BookingView } from "../types.js";
import { readMany } from "./read-many.js";

export type GetCustomerBookingsParameters = {
  escrow: Address;
  customer: Address;
  fromBlock: bigint;
  /** First log range in blocks; it shrinks when the provider refuses a range (see `readLogs`). */
  initialChunk?: number;
};
export type CustomerBooking = BookingView & { detailsHash: Hex };
export type GetCustomerBookingsReturnType = CustomerBooking[];

/** Ids read per `getBookings` call. */
const CHUNK = 250;

/** The customer's bookings, newest first: their `Booked` events (filtered by the indexed customer, in block ranges
 *  that adapt to what the provider accepts) and then their current state (one `getBookings` per 250). */
export async function getCustomerBookings(
  client: Client,
  { escrow, customer, fromBlock, initialChunk }: GetCustomerBookingsParameters,
): Promise<GetCustomerBookingsReturnType> {
  const toBlock = await getBlockNumber(client, { cacheTime: 0 });
  const logs = await readLogs(createRpc(client), escrow, fromBlock, toBlock, {
    topics: encodeEventTopics({ abi: earnestEscrowAbi, eventName: "Booked", args: { customer } }),
    initialChunk,
  });
  const booked = logs.map(
    (log) =>
      decodeEventLog({
        abi: earnestEscrowAbi,
        eventName: "Booked",
        topics: log.topics as [Hex, ...Hex[]],
        data: log.data,
      }).args,
  );
  const ids = booked.map((args) => args.bookingId);
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
  return views.map((view, i) => ({ ...view, detailsHash: booked[i].detailsHash })).reverse();
}
