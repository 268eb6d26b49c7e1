// Booking passes and coupon links: they round-trip, they refuse damaged input with a named error, a pass's details
// hash to what the contract's `Booked` event committed to (checked on-chain by verifyPass), and the check-in a
// customer signs on the pass is the one `checkInWithSignature` accepts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPublicClient, custom, parseEther, zeroAddress, type EIP1193Provider } from "viem";
import { hardhat } from "viem/chains";
import {
  checkInTypedData,
  verifyPass,
  decodeCouponLink,
  encodeCouponLink,
  InvalidCouponLinkError,
  decodePass,
  encodePass,
  hashDetails,
  InvalidPassError,
  newSalt,
  type BookingPass,
  encodeBookingId,
} from "@earnest/sdk";
import {
  CHECK_IN_OPENS,
  connection,
  deployWithOfferings,
  networkHelpers,
  slotInDays,
  viem,
} from "../support/fixture.js";

const details = { name: "李雷 Lei", contact: "+86 10 0000", notes: "window seat ☀" };

describe("booking pass", () => {
  it("round-trips through its token, unicode included", () => {
    const pass: BookingPass = {
      chainId: 31337,
      escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      bookingId: (7n << 72n) | (1_800_000_000n << 32n) | 3n,
      details,
      salt: newSalt(),
    };
    assert.deepEqual(decodePass(encodePass(pass)), pass);
    const signed: BookingPass = { ...pass, checkIn: `0x${"cd".repeat(65)}` };
    assert.deepEqual(decodePass(encodePass(signed)), signed);
    assert.notEqual(encodePass(signed), encodePass(pass));
  });

  it("refuses damaged tokens with InvalidPassError", () => {
    const pass = { chainId: 1, escrow: zeroAddress, bookingId: 1n, details, salt: newSalt() };
    const token = encodePass(pass);
    const badSignature = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(token, "base64url").toString("utf8")), k: "signed" }),
    ).toString("base64url");
    for (const bad of ["", "%%%", token.slice(0, 20), btoa(JSON.stringify({ c: 1 })), badSignature]) {
      assert.throws(() => decodePass(bad), InvalidPassError);
    }
  });

  it("hashes details with the salt: another salt or one changed letter gives another hash", () => {
    const salt = newSalt();
    assert.notEqual(hashDetails(details, salt), hashDetails(details, newSalt()));
    assert.notEqual(hashDetails(details, salt), hashDetails({ ...details, name: "Li Lei" }, salt));
  });

  it("verifies against the chain: valid, mismatched and unknown bookings", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const salt = newSalt();
    await f.escrow.write.book([f.ethOffering, slot, 1, hashDetails(details, salt)], {
      account: f.customer.account,
      value: parseEther("0.01"),
    });
    const client = createPublicClient({ chain: hardhat, transport: custom(connection.provider as EIP1193Provider) });
    const bookingId = encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 1 });
    const pass = { chainId: 31337, escrow: f.escrow.address, bookingId, details, salt };
    assert.equal((await verifyPass(client, { pass, fromBlock: 0n })).result, "valid");
    const forged = { ...pass, details: { ...details, name: "Someone else" } };
    assert.equal((await verifyPass(client, { pass: forged, fromBlock: 0n })).result, "mismatch");
    const missing = { ...pass, bookingId: bookingId + 1n };
    assert.equal((await verifyPass(client, { pass: missing, fromBlock: 0n })).result, "unknownBooking");
  });

  it("signs the check-in that checkInWithSignature accepts, for its own booking only", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    await f.escrow.write.book([f.ethOffering, slot, 1, hashDetails(details, newSalt())], {
      account: f.customer.account,
      value: parseEther("0.01"),
    });
    await f.escrow.write.book([f.ethOffering, slot, 1, hashDetails(details, newSalt())], {
      account: f.customer.account,
      value: parseEther("0.01"),
    });
    const [first, second] = [1, 2].map((n) => encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n }));
    const signature = await f.customer.signTypedData(
      checkInTypedData({ chainId: 31337, escrow: f.escrow.address, bookingId: first }),
    );
    await networkHelpers.time.increaseTo(slot - CHECK_IN_OPENS);
    await viem.assertions.revertWithCustomError(
      f.escrow.write.checkInWithSignature([second, signature], { account: f.merchant.account }),
      f.escrow,
      "InvalidCheckInSignature",
    );
    await f.escrow.write.checkInWithSignature([first, signature], { account: f.merchant.account });
    assert.equal((await f.escrow.read.getBooking([first])).checkedIn, true);
  });
});

describe("coupon link", () => {
  const signed = {
    coupon: {
      offeringId: 3,
      discount: 5_000_000n,
      maxRedemptions: 10,
      expiresAt: 1_900_000_000,
      customer: zeroAddress,
      salt: newSalt(),
      signer: "0x0000000000000000000000000000000000000123",
    },
    signature: `0x${"ab".repeat(65)}`,
  } as const;

  it("round-trips", () => {
    assert.deepEqual(decodeCouponLink(encodeCouponLink(signed)), signed);
  });

  it("refuses damaged links with InvalidCouponLinkError", () => {
    const token = encodeCouponLink(signed);
    const json = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Record<string, unknown>;
    const noSigner = Buffer.from(JSON.stringify({ ...json, r: "nobody" })).toString("base64url");
    for (const bad of ["", token.slice(0, token.length / 2), btoa(JSON.stringify({ o: -1 })), noSigner]) {
      assert.throws(() => decodeCouponLink(bad), InvalidCouponLinkError);
    }
  });
});
