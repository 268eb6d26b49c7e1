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

/** What the chain last confirmed about a pass, kept so the pass still shows its details with no connection (at the
 *  venue, in a basement): the booking as read and verified online, and when. */
export type PassSnapshot = {
  offering: string;
  venue: string;
  /** The venue's IANA zone, when the offering names one. */
  timeZone?: string;
  slotStart: number;
  slotLength: number;
  seats: number;
  /** The deposit in the token's smallest unit (a bigint as decimal text: JSON has no bigints). */
  amount: string;
  token: { symbol: string; decimals: number };
  status: number;
  checkedIn: boolean;
  result: "valid" | "mismatch";
  /** Unix seconds of the verification, on this device's clock. */
  verifiedAt: number;
};

const SNAPSHOTS = "earnest.passSnapshots";

/** The pass without its check-in signature: a pass and its signed version are the same booking and details. */
const identity = (pass: BookingPass) => encodePass({ ...pass, checkIn: undefined });

type StoredSnapshot = PassSnapshot & { pass: string };

function loadSnapshots(): Record<string, StoredSnapshot> {
  try {
    return JSON.parse(localStorage.getItem(SNAPSHOTS) ?? "{}") as Record<string, StoredSnapshot>;
  } catch {
    return {};
  }
}

/** Keeps what the chain confirmed about `pass` just now. */
export function saveSnapshot(pass: BookingPass, snapshot: PassSnapshot): void {
  const key = keyOf(pass.chainId, pass.escrow, pass.bookingId);
  try {
    localStorage.setItem(
      SNAPSHOTS,
      JSON.stringify({ ...loadSnapshots(), [key]: { ...snapshot, pass: identity(pass) } }),
    );
  } catch {
    // Storage full or refused (private mode): the pass works online as before.
  }
}

/** What the chain last confirmed about `pass` on this device, if it was opened online here: only for the same
 *  booking with the same details (a pass with other details for the booking id gets nothing). */
export function loadSnapshot(pass: BookingPass): PassSnapshot | undefined {
  const stored = loadSnapshots()[keyOf(pass.chainId, pass.escrow, pass.bookingId)];
  if (!stored || stored.pass !== identity(pass)) return undefined;
  const snapshot: Partial<StoredSnapshot> = { ...stored };
  delete snapshot.pass;
  return snapshot as PassSnapshot;
}

/** The stored pass of the same booking carrying the customer's signed check-in, when the one open has none: one
 *  tap from the plain pass to the code the staff scan. */
export function signedPassToken(pass: BookingPass): string | undefined {
  if (pass.checkIn) return undefined;
  const token = passToken(pass.chainId, pass.escrow, pass.bookingId);
  if (!token) return undefined;
  const stored = decodePass(token);
  return stored.checkIn && identity(stored) === identity(pass) ? token : undefined;
}
