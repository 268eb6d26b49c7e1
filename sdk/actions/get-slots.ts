import type { Address, Client } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import { readMany } from "./read-many.js";

export type GetSlotsParameters = { escrow: Address; offeringId: number; slotStarts: readonly number[] };
export type GetSlotsReturnType = { start: number; seatsLeft: number }[];

/** Seats left in each of the given slots (which must be on the offering's grid), in one `eth_call`. */
export async function getSlots(
  client: Client,
  { escrow, offeringId, slotStarts }: GetSlotsParameters,
): Promise<GetSlotsReturnType> {
  if (slotStarts.length === 0) return [];
  const left = await readMany(
    client,
    slotStarts.map(
      (start) =>
        ({ address: escrow, abi: earnestEscrowAbi, functionName: "seatsLeft", args: [offeringId, start] }) as const,
    ),
  );
  return slotStarts.map((start, i) => ({ start, seatsLeft: Number(left[i]) }));
}
