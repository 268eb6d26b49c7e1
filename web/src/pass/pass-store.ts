// The customer's own passes, kept in this browser only: the details and salt never go on-chain, so without the
// pass (this store or the link) nobody can show them.
import { decodePass, encodePass, type BookingPass } from "@earnest/sdk";

const KEY = "earnest.passes";

function load(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

const keyOf = (chainId: number, escrow: string, bookingId: bigint) => `${chainId}:${escrow.toLowerCase()}:${bookingId}`;

export function savePass(pass: BookingPass): string {
  const token = encodePass(pass);
  localStorage.setItem(KEY, JSON.stringify({ ...load(), [keyOf(pass.chainId, pass.escrow, pass.bookingId)]: token }));
  return token;
}

/** The stored pass token of a booking, if this browser made it. */
export function passToken(chainId: number, escrow: string, bookingId: bigint): string | undefined {
  const token = load()[keyOf(chainId, escrow, bookingId)];
  if (!token) return undefined;
  try {
    decodePass(token);
    return token;
  } catch {
    return undefined;
  }
}

/** The link that opens a pass in this dApp. */
export function passUrl(token: string): string {
  return `${location.origin}${location.pathname}#/pass/${token}`;
}
