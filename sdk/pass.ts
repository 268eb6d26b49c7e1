// The booking pass: the details a customer gave (never on-chain), the salt that hides them, and where the booking
// lives. `detailsHash` in the `Booked` event commits to details and salt, so anyone holding the pass can check it.
// At the venue the pass may also carry the customer's signed check-in ("I am here"), which the merchant or its
// staff submit with `checkInWithSignature`.
import { fromBase64Url, toBase64Url } from "./base64url.js";
import { encodeAbiParameters, getAddress, isAddress, isHex, keccak256, toHex, type Address, type Hex } from "viem";
import { checkInTypes, escrowDomain } from "./typed-data.js";

export type BookingDetails = { name: string; contact: string; notes: string };

export type BookingPass = {
  chainId: number;
  escrow: Address;
  bookingId: bigint;
  details: BookingDetails;
  salt: Hex;
  /** The customer's EIP-712 `CheckIn` signature of this booking, once they signed it at the venue. */
  checkIn?: Hex;
};

/** What a customer signs to check in: `CheckIn(bookingId)` in the escrow's domain, so the signature counts for this
 *  booking on this chain and contract only. */
export function checkInTypedData({
  chainId,
  escrow,
  bookingId,
}: Pick<BookingPass, "chainId" | "escrow" | "bookingId">) {
  return {
    domain: escrowDomain(chainId, escrow),
    types: checkInTypes,
    primaryType: "CheckIn",
    message: { bookingId },
  } as const;
}

export class InvalidPassError extends Error {
  override name = "InvalidPassError";
  constructor(reason: string) {
    super(`Not a valid booking pass: ${reason}.`);
  }
}

/** 32 random bytes from the platform's CSPRNG (browsers and Node alike). */
export function newSalt(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** The commitment `book` takes: keccak256 of the ABI-encoded salt and details. */
export function hashDetails(details: BookingDetails, salt: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "string" }, { type: "string" }, { type: "string" }],
      [salt, details.name, details.contact, details.notes],
    ),
  );
}

/** The pass as one URL-safe token (for a link or a QR code). */
export function encodePass(pass: BookingPass): string {
  return toBase64Url(
    JSON.stringify({
      c: pass.chainId,
      e: pass.escrow,
      b: pass.bookingId.toString(),
      d: [pass.details.name, pass.details.contact, pass.details.notes],
      s: pass.salt,
      ...(pass.checkIn && { k: pass.checkIn }),
    }),
  );
}

/** Reads a token made by `encodePass`; throws `InvalidPassError` saying what is wrong. */
export function decodePass(token: string): BookingPass {
  let raw: unknown;
  try {
    raw = JSON.parse(fromBase64Url(token.trim()));
  } catch {
    throw new InvalidPassError("the link is damaged or incomplete");
  }
  const { c, e, b, d, s, k } = (raw ?? {}) as Record<string, unknown>;
  if (typeof c !== "number" || !Number.isSafeInteger(c) || c <= 0) throw new InvalidPassError("no chain id");
  if (typeof e !== "string" || !isAddress(e)) throw new InvalidPassError("no escrow address");
  if (typeof b !== "string" || !/^[0-9]+$/.test(b)) throw new InvalidPassError("no booking id");
  if (!Array.isArray(d) || d.length !== 3 || !d.every((x) => typeof x === "string")) {
    throw new InvalidPassError("no booking details");
  }
  if (typeof s !== "string" || !isHex(s) || s.length !== 66) throw new InvalidPassError("no salt");
  if (k !== undefined && (typeof k !== "string" || !isHex(k) || k.length < 4)) {
    throw new InvalidPassError("a damaged check-in signature");
  }
  const [name, contact, notes] = d as [string, string, string];
  const pass: BookingPass = {
    chainId: c,
    escrow: getAddress(e),
    bookingId: BigInt(b),
    details: { name, contact, notes },
    salt: s,
  };
  if (k !== undefined) pass.checkIn = k;
  return pass;
}
