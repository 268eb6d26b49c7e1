// The events of some bookings only, without reading the whole escrow: their `Booked` events (filtered by an indexed
// argument), then every later event that names one of them. Folded, they give the bookings' state as the escrow's
// views would, for My bookings and the booking pass.
import { encodeEventTopics, numberToHex, type Address, type Hex } from "viem";
import { compareEvents } from "../fold/apply-event.js";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { EscrowEvent } from "../types.js";
import { decodeLogs } from "./decode-logs.js";
import type { ReadErrorType } from "./errors.js";
import { createLogRange, readLogs } from "./read-logs.js";
import type { Rpc } from "./rpc.js";

export type ReadBookingEventsParameters = {
  escrow: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** Whose bookings: a customer's, or one booking by its id. */
  booked: { customer: Address } | { bookingId: bigint };
  /** First log range in blocks; it shrinks when the provider refuses a range (see `readLogs`). */
  initialChunk?: number;
};

export type ReadBookingEventsReturnType = EscrowEvent[];
export type ReadBookingEventsErrorType = ReadErrorType;

/** Booking ids per topic filter: providers bound the alternatives one `eth_getLogs` may list. */
const IDS_PER_FILTER = 100;

const topicOf = (eventName: "CheckedIn" | "Disputed" | "Settled") =>
  encodeEventTopics({ abi: earnestEscrowAbi, eventName })[0];

/** What happens to a booking after it is made, with its id as the first indexed argument. `CouponRedeemed` (id in
 *  the second) only records the discount, which `Booked.amount` already has taken off. */
const LATER_EVENTS = [topicOf("CheckedIn"), topicOf("Disputed"), topicOf("Settled")];

/** The matching bookings' events in chain order: `Booked`, `CheckedIn`, `Disputed`, `Settled`. */
export async function readBookingEvents(
  rpc: Rpc,
  { escrow, fromBlock, toBlock, booked, initialChunk }: ReadBookingEventsParameters,
): Promise<ReadBookingEventsReturnType> {
  // One adaptive range for every scan: the later ones start from what the first learnt of the provider's limit.
  const range = createLogRange({ initial: initialChunk });
  const bookedLogs = await readLogs(rpc, {
    address: escrow,
    fromBlock,
    toBlock,
    topics: encodeEventTopics({ abi: earnestEscrowAbi, eventName: "Booked", args: booked }),
    range,
  });
  const events = decodeLogs(bookedLogs);
  if (events.length === 0) return events;
  const ids = events.flatMap((e) => (e.eventName === "Booked" ? [numberToHex(e.args.bookingId, { size: 32 })] : []));
  // Nothing happens to a booking before it is made.
  const laterFrom = events[0].blockNumber;
  for (let i = 0; i < ids.length; i += IDS_PER_FILTER) {
    const topics: Hex[][] = [LATER_EVENTS, ids.slice(i, i + IDS_PER_FILTER)];
    events.push(...decodeLogs(await readLogs(rpc, { address: escrow, fromBlock: laterFrom, toBlock, topics, range })));
  }
  return events.sort(compareEvents);
}
