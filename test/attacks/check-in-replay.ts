// Check-in signature replay: a customer's signed "I am here" is what ends its right to cancel and turns a no-show
// refund into the merchant's money, so a merchant holding one signature must not be able to use it anywhere else:
// not on the same booking id at another escrow (the same merchant's, the same customer, the same terms), not as a
// malleated copy, and not outside the window in which it counts, even when obtained long before. (The plain
// other-booking, other-chain and other-signer cases are in test/escrow/check-in-with-signature.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, type Hex } from "viem";
import { split } from "@earnest/sdk";
import { ecrecover, highS } from "../support/attackers.js";
import { book, bookedEvent } from "../support/booking.js";
import { atTime, mined } from "../support/chain.js";
import {
  CHECK_IN_OPENS,
  deployEarnestEscrow,
  deployWithOfferings,
  detailsHash,
  ETH_DEPOSIT,
  FEE_BPS,
  HOUR,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  terms,
  viem,
} from "../support/fixture.js";
import { signCheckIn } from "../support/signing.js";

/**
 * The fixture and a second escrow where the same merchant registered and published the same ETH terms as offering 1
 * (without an arbiter, which the fixture's offering 1 has): the customer booked the first seat of the same slot at
 * both, so both bookings have the same id. It signed a check-in for the first escrow's.
 */
async function deployTwinEscrows() {
  const f = await deployWithOfferings();
  const twin = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
  await mined(
    f,
    twin.write.registerMerchant([f.payout.account.address, "Chez Earnest"], { account: f.merchant.account }),
  );
  await mined(f, twin.write.createOffering([terms(f.grid)], { account: f.merchant.account }));
  const slot = await slotInDays(f.grid, 3);
  const here = await book(f, f.ethOffering, slot, 1);
  const there = await bookedEvent(
    f,
    twin.write.book([1, slot, 1, detailsHash("twin")], { account: f.customer.account, value: ETH_DEPOSIT }),
  );
  assert.equal(there.bookingId, here.id, "the same booking id at both escrows");
  const signature = await signCheckIn(f.customer, here.id, f.escrow.address);
  return { f, twin, slot, id: here.id, signature };
}

describe("attacks: check-in signature replay", () => {
  it("a check-in signed at one escrow cannot check in the booking with the same id at another", async () => {
    const w = await networkHelpers.loadFixture(deployTwinEscrows);
    const customer = getAddress(w.f.customer.account.address);
    await atTime(w.slot - CHECK_IN_OPENS);
    await mined(w.f, w.f.escrow.write.checkInWithSignature([w.id, w.signature], { account: w.f.merchant.account }));
    assert.equal((await w.f.escrow.read.getBooking([w.id])).checkedIn, true);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.twin.write.checkInWithSignature([w.id, w.signature], { account: w.f.merchant.account }),
      w.twin,
      "InvalidCheckInSignature",
      [w.id, customer],
    );
    assert.equal((await w.twin.read.getBooking([w.id])).checkedIn, false);
    // The twin's own signature works there, and not back here (where the booking is checked in already anyway).
    const own = await signCheckIn(w.f.customer, w.id, w.twin.address);
    assert.notEqual(own, w.signature);
    await mined(w.f, w.twin.write.checkInWithSignature([w.id, own], { account: w.f.merchant.account }));
    assert.equal((await w.twin.read.getBooking([w.id])).checkedIn, true);
  });

  it("a malleated (high-s) copy of a customer's check-in signature cannot check in", async () => {
    const w = await networkHelpers.loadFixture(deployTwinEscrows);
    const malleated: Hex = highS(w.signature);
    // The copy is a real signature of the customer: ecrecover yields the customer from it.
    const digest = await w.f.escrow.read.hashCheckIn([w.id]);
    assert.equal(await ecrecover(w.f, digest, malleated), getAddress(w.f.customer.account.address));
    await atTime(w.slot - CHECK_IN_OPENS);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.checkInWithSignature([w.id, malleated], { account: w.f.merchant.account }),
      w.f.escrow,
      "InvalidCheckInSignature",
      [w.id, getAddress(w.f.customer.account.address)],
    );
    assert.equal((await w.f.escrow.read.getBooking([w.id])).checkedIn, false);
  });

  it("a signature obtained days early cannot check in before the window, nor void the customer's cancellation", async () => {
    const w = await networkHelpers.loadFixture(deployTwinEscrows);
    const opensAt = w.slot - CHECK_IN_OPENS;
    const closesAt = w.slot + SLOT_LENGTH;
    // 30 h before the start, in the 50 % tier: too early for the signature ...
    await atTime(w.slot - 30 * HOUR);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.checkInWithSignature([w.id, w.signature], { account: w.f.merchant.account }),
      w.f.escrow,
      "CheckInClosed",
      [w.id, BigInt(opensAt), BigInt(closesAt)],
    );
    // ... so the customer still cancels at the tier's refund ...
    const shares = split(ETH_DEPOSIT, 5_000, FEE_BPS);
    await viem.assertions.emitWithArgs(
      w.f.escrow.write.cancel([w.id], { account: w.f.customer.account }),
      w.f.escrow,
      "Settled",
      [w.id, Status.CustomerCancelled, 5_000n, shares.customerShare, shares.merchantShare, shares.fee],
    );
    // ... and once the window opens, the signature is worth nothing.
    await atTime(opensAt);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.checkInWithSignature([w.id, w.signature], { account: w.f.merchant.account }),
      w.f.escrow,
      "WrongStatus",
      [w.id, Status.CustomerCancelled],
    );
  });
});
