import type { ContractFunctionReturnType } from "viem";
import type { earnestEscrowAbi } from "./generated/abis.js";

/** A booking's full state as `getBooking`/`getBookings` return it (typed from the generated ABI). */
export type BookingView = ContractFunctionReturnType<typeof earnestEscrowAbi, "view", "getBooking">;
