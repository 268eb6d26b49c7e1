// Merchant cancellation: a full refund of an open or disputed booking, never blocked by the customer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, parseEventLogs } from "viem";
import { encodeBookingId } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance, mined } from "../support/chain.js";
import {
  deployRevertingReceiver,
  deployWithOfferings,
  deployWithTwoMerchants,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  slotInDays,
  Status,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";
import { settledBookings } from "../support/outcomes.js";

/** Cancels an ETH booking as the merchant and checks the full refund, the event and that nothing else moved. */
async function cancelByMerchantAndCheck(f: Fixture, booked: Booked): Promise<void> {
  const feesBefore = await f.escrow.read.feesOwed([ETH]);
  const hash = await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
  await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
    booked.id,
    Status.MerchantCancelled,
    10_000n,
    booked.amount,
    0n,
    0n,
  ]);
  await viem.assertions.balancesHaveChanged(hash, [
    { address: f.customer.account.address, amount: booked.amount },
    { address: f.payout.account.address, amount: 0n },
    { address: f.escrow.address, amount: -booked.amount },
  ]);
  assert.equal(await f.escrow.read.feesOwed([ETH]), feesBefore);
  assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.MerchantCancelled);
}

describe("cancelByMerchant", () => {
  it("succeeds with a full refund of a booked booking", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 3);
    assert.equal(booked.amount, 3n * ETH_DEPOSIT);
    // Inside the no-refund tier of the customer's policy: the merchant still refunds everything.
    await atTime(slot - HOUR);
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a full refund of a disputed booking", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 2);
    await atTime(slot + HOUR);
    await f.escrow.write.dispute([booked.id], { account: f.customer.account });
    assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Disputed);
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a full refund of a checked-in booking", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 1);
    await atTime(slot);
    await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a full refund in the stablecoin", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.tokenOffering, slot, 4);
    assert.equal(booked.amount, 4n * USD_DEPOSIT);
    const customerBefore = await f.stablecoin.read.balanceOf([f.customer.account.address]);
    const payoutBefore = await f.stablecoin.read.balanceOf([f.payout.account.address]);
    const hash = await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
      booked.id,
      Status.MerchantCancelled,
      10_000n,
      booked.amount,
      0n,
      0n,
    ]);
    assert.equal(await f.stablecoin.read.balanceOf([f.customer.account.address]), customerBefore + 4n * USD_DEPOSIT);
    assert.equal(await f.stablecoin.read.balanceOf([f.payout.account.address]), payoutBefore);
    assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), 0n);
    assert.equal(await f.escrow.read.feesOwed([f.stablecoin.address]), 0n);
  });

  it("succeeds in giving the seats back so that the slot can be booked again", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 4);
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 0n);
    await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    const again = await book(f, f.ethOffering, slot, 4, f.customer2);
    assert.equal(again.id, booked.id + 1n);
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 0n);
  });

  it("succeeds while the protocol is paused", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 2);
    await f.escrow.write.setPaused([true], { account: f.owner.account });
    assert.equal((await f.escrow.read.config()).paused, true);
    await cancelByMerchantAndCheck(f, booked);
  });

  it("succeeds with a credit instead of a push when the customer refuses ETH", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const receiver = await deployRevertingReceiver();
    const slot = await slotInDays(f.grid, 3);
    const bookData = encodeFunctionData({
      abi: f.escrow.abi,
      functionName: "book",
      args: [f.ethOffering, slot, 2, detailsHash("reverting")],
    });
    const bookHash = await receiver.write.execute([f.escrow.address, bookData], { value: 2n * ETH_DEPOSIT });
    const receipt = await mined(f, bookHash);
    const [bookedEvent] = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
    const id = bookedEvent.args.bookingId;
    assert.equal(bookedEvent.args.customer.toLowerCase(), receiver.address.toLowerCase());
    const receiverBefore = await ethBalance(f, receiver.address);

    const hash = await f.escrow.write.cancelByMerchant([id], { account: f.merchant.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, 2n * ETH_DEPOSIT]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
      id,
      Status.MerchantCancelled,
      10_000n,
      2n * ETH_DEPOSIT,
      0n,
      0n,
    ]);
    assert.equal(await f.escrow.read.credits([ETH, receiver.address]), 2n * ETH_DEPOSIT);
    assert.equal(await ethBalance(f, receiver.address), receiverBefore);
    assert.equal(await ethBalance(f, f.escrow.address), 2n * ETH_DEPOSIT);
    assert.equal((await f.escrow.read.getBooking([id])).status, Status.MerchantCancelled);
    assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
  });

  it("reverts when the caller is not the offering's merchant", async () => {
    const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.ethOffering, slot, 1);
    for (const caller of [f.stranger, f.customer, f.payout, f.arbiter, f.owner, f.merchant2]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([booked.id], { account: caller.account }),
        f.escrow,
        "NotOfferingMerchant",
        [f.ethOffering, caller.account.address],
      );
    }
    assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
  });

  it("reverts when the booking is already settled", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const cases = await settledBookings(f);
    for (const [id, status] of cases) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancelByMerchant([id], { account: f.merchant.account }),
        f.escrow,
        "WrongStatus",
        [id, status],
      );
    }
  });

  it("reverts when the booking does not exist", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const missing = encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 1 });
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.cancelByMerchant([missing], { account: f.merchant.account }),
      f.escrow,
      "BookingNotFound",
      [missing],
    );
  });
});
