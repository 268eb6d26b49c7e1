import { getContractEvents } from "viem/actions";
import type { Client } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import { hashDetails, type BookingPass } from "../pass.js";
import type { BookingView } from "../types.js";
import { readMany } from "./read-many.js";

export type VerifyPassParameters = { pass: BookingPass; fromBlock: bigint };

export type VerifyPassReturnType =
  | { result: "unknownBooking" }
  | { result: "mismatch"; booking: BookingView }
  | { result: "valid"; booking: BookingView };

/** Checks a pass against the chain: the booking exists, and the details and salt hash to the `detailsHash` its
 *  `Booked` event committed to. The client must be on the pass's chain. */
export async function verifyPass(
  client: Client,
  { pass, fromBlock }: VerifyPassParameters,
): Promise<VerifyPassReturnType> {
  const events = await getContractEvents(client, {
    address: pass.escrow,
    abi: earnestEscrowAbi,
    eventName: "Booked",
    args: { bookingId: pass.bookingId },
    fromBlock,
    strict: true,
  });
  const event = events[0];
  if (!event) return { result: "unknownBooking" };
  const [booking] = await readMany(client, [
    { address: pass.escrow, abi: earnestEscrowAbi, functionName: "getBooking", args: [pass.bookingId] },
  ]);
  const committed = event.args.detailsHash;
  return hashDetails(pass.details, pass.salt) === committed
    ? { result: "valid", booking }
    : { result: "mismatch", booking };
}
