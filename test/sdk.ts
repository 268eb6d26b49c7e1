// The sdk's settlement arithmetic and booking-id encoding must agree with the contract to the wei.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { decodeBookingId, encodeBookingId, InvalidBookingIdError } from "../sdk/booking-id.js";
import { refundAt, refundBps, split } from "../sdk/settlement.js";
import {
  DAY,
  DEFAULT_TIERS,
  deployWithOfferings,
  detailsHash,
  HOUR,
  networkHelpers,
  slotInDays,
} from "./helpers/fixture.js";

describe("sdk", () => {
  it("encodes booking ids as the contract numbers them", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    for (const customer of [f.customer, f.customer2]) {
      await f.escrow.write.book([f.ethOffering, slot, 1, detailsHash(customer.account.address)], {
        account: customer.account,
        value: parseEther("0.01"),
      });
    }
    const second = encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 2 });
    const view = await f.escrow.read.getBooking([second]);
    assert.equal(view.customer.toLowerCase(), f.customer2.account.address.toLowerCase());
    assert.deepEqual(decodeBookingId(second), { offeringId: f.ethOffering, slotStart: slot, n: 2 });
  });

  it("rejects ids that no booking can have", () => {
    assert.throws(() => decodeBookingId(0n), InvalidBookingIdError);
    assert.throws(() => decodeBookingId(1n << 104n), InvalidBookingIdError);
    assert.throws(
      () => decodeBookingId(encodeBookingId({ offeringId: 1, slotStart: 1000, n: 0 })),
      InvalidBookingIdError,
    );
  });

  it("splits exactly, rounding for the merchant", () => {
    assert.deepEqual(split(1001n, 3_333, 250), { customerShare: 333n, merchantShare: 652n, fee: 16n });
    const { customerShare, merchantShare, fee } = split(parseEther("1"), 5_000, 1_000);
    assert.equal(customerShare + merchantShare + fee, parseEther("1"));
    assert.equal(fee, parseEther("0.05"));
  });

  it("picks the first matching tier", () => {
    assert.equal(refundBps(DEFAULT_TIERS, 48 * HOUR), 10_000);
    assert.equal(refundBps(DEFAULT_TIERS, 48 * HOUR - 1), 5_000);
    assert.equal(refundBps(DEFAULT_TIERS, 24 * HOUR - 1), 0);
    assert.equal(refundBps([], 100 * DAY), 0);
  });

  it("previews the same refund as refundAt on-chain, at every tier boundary", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 4);
    await f.stablecoin.write.approve([f.escrow.address, 75_000_000n], { account: f.customer.account });
    await f.escrow.write.book([f.tokenOffering, slot, 3, detailsHash("preview")], { account: f.customer.account });
    const id = encodeBookingId({ offeringId: f.tokenOffering, slotStart: slot, n: 1 });
    const booking = await f.escrow.read.getBooking([id]);
    for (const before of [72 * HOUR, 48 * HOUR, 48 * HOUR - 1, 30 * HOUR, 24 * HOUR, 24 * HOUR - 1, 1, 0]) {
      const at = slot - before;
      const onChain = await f.escrow.read.refundAt([id, BigInt(at)]);
      assert.equal(refundAt(booking, DEFAULT_TIERS, at), onChain, `${before} s before the start`);
    }
  });
});
