// The path choice: without gas by default only for a customer who cannot pay it, the customer's choice otherwise,
// and among the paths the customer pays for, the fewest confirmations the wallet and token allow.
import { describe, expect, it } from "vitest";
import { chooseBookingPath, confirmations, gaslessPath, walletPath, type BookingFacts } from "./booking-path";
import { atomicBatchFrom } from "./payment-options";

const facts = (overrides: Partial<BookingFacts> = {}): BookingFacts => ({
  native: false,
  allowanceCovers: false,
  relayer: undefined,
  authorization: false,
  permit: false,
  atomicBatch: false,
  enoughEth: true,
  ...overrides,
});

const usdcAtRelayer = facts({ relayer: "https://relay.example", authorization: true, permit: true });

describe("chooseBookingPath", () => {
  it("books without gas, by one ERC-3009 signature, for a customer with no ETH", () => {
    expect(chooseBookingPath({ ...usdcAtRelayer, enoughEth: false })).toBe("relayAuthorization");
    expect(confirmations("relayAuthorization", usdcAtRelayer)).toBe(1);
  });

  it("uses a permit and the intent when the token has no ERC-3009 (just the intent with an allowance)", () => {
    const permitToken = facts({ relayer: "https://relay.example", permit: true, enoughEth: false });
    expect(chooseBookingPath(permitToken)).toBe("relayPermit");
    expect(confirmations("relayPermit", permitToken)).toBe(2);
    expect(confirmations("relayPermit", { allowanceCovers: true })).toBe(1);
    expect(gaslessPath(facts({ relayer: "https://relay.example", allowanceCovers: true }))).toBe("relayPermit");
  });

  it("leaves a customer with ETH on the wallet's path unless they choose otherwise", () => {
    expect(chooseBookingPath(usdcAtRelayer)).toBe("permit");
    expect(chooseBookingPath(usdcAtRelayer, "gasless")).toBe("relayAuthorization");
    expect(chooseBookingPath(usdcAtRelayer, "wallet")).toBe("permit");
  });

  it("cannot make a customer without ETH pay the gas", () => {
    expect(chooseBookingPath({ ...usdcAtRelayer, enoughEth: false }, "wallet")).toBe("relayAuthorization");
  });

  it("offers no booking without gas without a relayer, for ETH, or for a token that signs nothing", () => {
    expect(gaslessPath({ ...usdcAtRelayer, relayer: undefined })).toBeUndefined();
    expect(gaslessPath({ ...usdcAtRelayer, native: true })).toBeUndefined();
    expect(gaslessPath(facts({ relayer: "https://relay.example" }))).toBeUndefined();
    expect(chooseBookingPath(facts({ relayer: "https://relay.example", enoughEth: false }))).toBe("approve");
  });

  it("prefers one batch confirmation to a permit, a permit to an approval, and an allowance to all", () => {
    expect(walletPath(facts({ atomicBatch: true, permit: true }))).toBe("batch");
    expect(walletPath(facts({ permit: true }))).toBe("permit");
    expect(walletPath(facts())).toBe("approve");
    expect(walletPath(facts({ allowanceCovers: true, atomicBatch: true }))).toBe("allowance");
    expect(walletPath(facts({ native: true, atomicBatch: true }))).toBe("native");
    expect(confirmations("batch", facts())).toBe(1);
    expect(confirmations("approve", facts())).toBe(2);
  });
});

describe("atomicBatchFrom", () => {
  it("reads EIP-5792's atomic capability", () => {
    expect(atomicBatchFrom({ atomic: { status: "supported" } })).toBe(true);
    expect(atomicBatchFrom({ atomic: { status: "ready" } })).toBe(true);
    expect(atomicBatchFrom({ atomic: { status: "unsupported" } })).toBe(false);
    expect(atomicBatchFrom({})).toBe(false);
    expect(atomicBatchFrom(undefined)).toBe(false);
  });
});
