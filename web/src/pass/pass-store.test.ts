import { beforeEach, describe, expect, it } from "vitest";
import type { BookingPass } from "@earnest/sdk";
import { loadSnapshot, saveSnapshot, savePass, signedPassToken, type PassSnapshot } from "./pass-store";

const pass: BookingPass = {
  chainId: 31337,
  escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  bookingId: 42n,
  details: { name: "Ada Lovelace", contact: "ada@example.org", notes: "" },
  salt: `0x${"11".repeat(32)}`,
};

const snapshot: PassSnapshot = {
  offering: "Dinner table",
  venue: "Trattoria Luce",
  timeZone: "Europe/Rome",
  slotStart: 1_796_929_200,
  slotLength: 7200,
  seats: 2,
  amount: "20000000000000000",
  token: { symbol: "ETH", decimals: 18 },
  status: 1,
  checkedIn: false,
  result: "valid",
  verifiedAt: 1_796_000_000,
};

describe("the pass kept on the device", () => {
  beforeEach(() => localStorage.clear());

  it("gives back what the chain last confirmed, for the same booking and details, signed or not", () => {
    expect(loadSnapshot(pass)).toBeUndefined();
    saveSnapshot(pass, snapshot);
    expect(loadSnapshot(pass)).toEqual(snapshot);
    expect(loadSnapshot({ ...pass, checkIn: `0x${"22".repeat(65)}` })).toEqual(snapshot);
  });

  it("gives nothing to a pass with other details for the same booking id", () => {
    saveSnapshot(pass, snapshot);
    expect(loadSnapshot({ ...pass, details: { ...pass.details, name: "Someone Else" } })).toBeUndefined();
    expect(loadSnapshot({ ...pass, salt: `0x${"33".repeat(32)}` })).toBeUndefined();
  });

  it("finds the signed check-in code of the pass open, one tap away", () => {
    savePass(pass);
    expect(signedPassToken(pass)).toBeUndefined();
    const signed = { ...pass, checkIn: `0x${"22".repeat(65)}` as const };
    const token = savePass(signed);
    expect(signedPassToken(pass)).toBe(token);
    expect(signedPassToken(signed)).toBeUndefined();
  });
});
