// The booking pass: the details a customer gave (never on-chain), the salt that hides them, and where the booking
// lives. `detailsHash` in the `Booked` event commits to details and salt, so anyone holding the pass can check it.
import { fromBase64Url, toBase64Url } from "./base64url.js";
import { encodeAbiParameters, getAddress, isAddress, isHex, keccak256, toHex, type Address, type Hex } from "viem";

export type BookingDetails = { name: string; contact: string; notes: string };

export type BookingPass = {
  chainId: number;
  escrow: Address;
  bookingId: bigint;
  details: BookingDetails;
  salt: Hex;
};

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
  const { c, e, b, d, s } = (raw ?? {}) as Record<string, unknown>;
  if (typeof c !== "number" || !Number.isSafeInteger(c) || c <= 0) throw new InvalidPassError("no chain id");
  if (typeof e !== "string" || !isAddress(e)) throw new InvalidPassError("no escrow address");
  if (typeof b !== "string" || !/^[0-9]+$/.test(b)) throw new InvalidPassError("no booking id");
  if (!Array.isArray(d) || d.length !== 3 || !d.every((x) => typeof x === "string")) {
    throw new InvalidPassError("no booking details");
  }
  if (typeof s !== "string" || !isHex(s) || s.length !== 66) throw new InvalidPassError("no salt");
  const [name, contact, notes] = d as [string, string, string];
  return { chainId: c, escrow: getAddress(e), bookingId: BigInt(b), details: { name, contact, notes }, salt: s };
}
