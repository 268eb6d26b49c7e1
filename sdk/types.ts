import type { ContractFunctionReturnType, DecodeEventLogReturnType, Hex } from "viem";
import type { earnestEscrowAbi } from "./generated/abis.js";

/** A booking's full state as `getBooking`/`getBookings` return it (typed from the generated ABI). */
export type BookingView = ContractFunctionReturnType<typeof earnestEscrowAbi, "view", "getBooking">;

/** A decoded escrow event (the union of the ABI's events, discriminated by `eventName`) with where it happened.
 *  `blockTimestamp` enables the verifier's timing checks; `blockHash` lets a follower tell a reorganised block. */
export type EscrowEvent = DecodeEventLogReturnType<typeof earnestEscrowAbi> & {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  blockHash?: Hex;
  blockTimestamp?: number;
};

export type EscrowEventName = EscrowEvent["eventName"];

/** The escrow event named `name`, with its arguments typed. */
export type EscrowEventOf<name extends EscrowEventName> = Extract<EscrowEvent, { eventName: name }>;
