import type { Address, ContractFunctionReturnType, DecodeEventLogReturnType, Hex } from "viem";
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
  /** Who called the escrow function that emitted it (its `msg.sender`), when known: the transaction's sender if the
   *  transaction called the escrow directly. Events name the caller only where it matters to a booking
   *  (`CheckedIn.by`); the auditor fills this in for merchant cancellations, whose caller must hold the role. */
  caller?: Address;
};

export type EscrowEventName = EscrowEvent["eventName"];

/** The escrow event named `name`, with its arguments typed. */
export type EscrowEventOf<name extends EscrowEventName> = Extract<EscrowEvent, { eventName: name }>;
