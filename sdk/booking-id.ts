/** What a booking id is made of: `offeringId << 72 | slotStart << 32 | n`, see contracts/EarnestEscrow.sol. */
export type BookingIdParts = {
  /** The offering booked. */
  offeringId: number;
  /** Start of the booked slot, in Unix seconds. */
  slotStart: number;
  /** The booking's number within its slot, from 1. */
  n: number;
};

export class InvalidBookingIdError extends Error {
  override name = "InvalidBookingIdError";
  constructor(id: bigint) {
    super(`Not an Earnest booking id: ${id}.`);
  }
}

export function encodeBookingId({ offeringId, slotStart, n }: BookingIdParts): bigint {
  return (BigInt(offeringId) << 72n) | (BigInt(slotStart) << 32n) | BigInt(n);
}

export function decodeBookingId(id: bigint): BookingIdParts {
  if (id <= 0n || id >> 104n !== 0n || (id & 0xffffffffn) === 0n) throw new InvalidBookingIdError(id);
  return {
    offeringId: Number(id >> 72n),
    slotStart: Number((id >> 32n) & 0xffffffffffn),
    n: Number(id & 0xffffffffn),
  };
}
