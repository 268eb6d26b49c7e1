// Resolution: the arbiter rules a refund share on a disputed booking; both sides are paid at once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settlesAt } from "@earnest/sdk";
import { book, type Booked } from "../support/booking.js";
import { atTime, ethBalance } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  deployWithOddOfferings,
  deployWithOfferings,
  deployWithTwoMerchants,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  ODD_ETH_DEPOSIT,
  ODD_USD_DEPOSIT,
  slotInDays,
  Status,
  TIMING,
  viem,
  type Fixture,
} from "../support/fixture.js";
import { expectedSplit, expectSettlement, type Settlement } from "../support/outcomes.js";

/** Books `seats` seats of `offeringId` three days ahead and disputes the booking an hour into the slot. */
async function disputed(f: Fixture, offeringId: number, seats: number): Promise<{ slot: number; booked: Booked }> {
  const slot = await slotInDays(f.grid, 3);
  const booked = await book(f, offeringId, slot, seats);
  await atTime(slot + HOUR);
  await f.escrow.write.dispute([booked.id, "the room was not as described"], { account: f.customer.account });
  return { slot, booked };
}

/** The arbiter rules `refundBps` on a booking; asserts event, payouts, fee owed and status. */
async function resolveAndCheck(f: Fixture, booked: Booked, refundBps: number, more: Pick<Settlement, "alone"> = {}) {
  return expectSettlement(f, booked, {
    send: () => f.escrow.write.resolve([booked.id, refundBps], { account: f.arbiter.account }),
    outcome: Status.Resolved,
    refundBps,
    unmoved: [f.arbiter.account.address, f.merchant.account.address],
    ...more,
  });
}

describe("resolve", () => {
  describe("rulings", () => {
    it("succeeds with a 0 % ruling: the merchant gets the amount less the fee", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 2);
      const expected = expectedSplit(2n * ETH_DEPOSIT, 0);
      assert.deepEqual(expected, {
        customerShare: 0n,
        merchantShare: 19_500_000_000_000_000n,
        fee: 500_000_000_000_000n,
      });
      await resolveAndCheck(f, booked, 0);
    });

    it("succeeds with a 35.5 % ruling split to the wei", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 3);
      const expected = expectedSplit(3n * ETH_DEPOSIT, 3_550);
      // 0.03 ETH × 35.5 % = 0.01065 ETH; fee = 0.01935 ETH × 2.5 % = 0.00048375 ETH.
      assert.deepEqual(expected, {
        customerShare: 10_650_000_000_000_000n,
        merchantShare: 18_866_250_000_000_000n,
        fee: 483_750_000_000_000n,
      });
      await resolveAndCheck(f, booked, 3_550);
    });

    it("succeeds with a 100 % ruling: everything back to the customer, no fee", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 1);
      const { fee } = await resolveAndCheck(f, booked, 10_000, { alone: true });
      assert.equal(fee, 0n);
    });

    it("succeeds with a 35.5 % ruling on an odd ETH amount, rounding down customer share and fee", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddOfferings);
      const { booked } = await disputed(f, f.oddEthOffering, 1);
      const expected = expectedSplit(ODD_ETH_DEPOSIT, 3_550);
      // 1_000_000_000_000_007 × 0.355 = 355_000_000_000_002.485 → 355_000_000_000_002
      // (645_000_000_000_005) × 0.025 = 16_125_000_000_000.125 → 16_125_000_000_000
      assert.deepEqual(expected, {
        customerShare: 355_000_000_000_002n,
        merchantShare: 628_875_000_000_005n,
        fee: 16_125_000_000_000n,
      });
      await resolveAndCheck(f, booked, 3_550);
    });

    it("succeeds with a 35.5 % ruling in the stablecoin", async () => {
      const f = await networkHelpers.loadFixture(deployWithOddOfferings);
      const { booked } = await disputed(f, f.oddTokenOffering, 2);
      const amount = 2n * ODD_USD_DEPOSIT;
      const expected = expectedSplit(amount, 3_550);
      // 24_691_358 × 0.355 = 8_765_432.09 → 8_765_432; 15_925_926 × 0.025 = 398_148.15 → 398_148
      assert.deepEqual(expected, { customerShare: 8_765_432n, merchantShare: 15_527_778n, fee: 398_148n });
      await resolveAndCheck(f, booked, 3_550, { alone: true });
    });

    it("succeeds with the ruling, not fulfilment, for a checked-in booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 2);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await f.escrow.write.dispute([booked.id, "the room was not as described"], { account: f.customer.account });
      await resolveAndCheck(f, booked, 3_550);
    });

    it("succeeds at one second before the arbiter's deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await disputed(f, f.ethOffering, 1);
      await atTime(settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT - 1);
      await resolveAndCheck(f, booked, 3_550);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 2);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await resolveAndCheck(f, booked, 5_000);
    });
  });

  describe("reverts", () => {
    it("reverts when the caller is not the offering's arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const { booked } = await disputed(f, f.ethOffering, 1);
      for (const caller of [f.stranger, f.merchant, f.customer, f.owner, f.merchant2]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.resolve([booked.id, 5_000], { account: caller.account }),
          f.escrow,
          "NotArbiter",
          [booked.id, caller.account.address],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Disputed);
    });

    it("reverts when the booking is not disputed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const open = await book(f, f.ethOffering, slot, 1);
      await atTime(slot + HOUR);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([open.id, 5_000], { account: f.arbiter.account }),
        f.escrow,
        "WrongStatus",
        [open.id, Status.Booked],
      );
    });

    it("reverts when the booking is already resolved", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 1);
      await f.escrow.write.resolve([booked.id, 10_000], { account: f.arbiter.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([booked.id, 0], { account: f.arbiter.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.Resolved],
      );
    });

    it("reverts when the merchant cancelled the disputed booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 1);
      await f.escrow.write.cancelByMerchant([booked.id], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([booked.id, 0], { account: f.arbiter.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.MerchantCancelled],
      );
    });

    it("reverts when someone settled the booking after the arbiter timed out", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await disputed(f, f.ethOffering, 1);
      await atTime(settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT);
      await f.escrow.write.settle([booked.id], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([booked.id, 10_000], { account: f.arbiter.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.NoShow],
      );
    });

    it("reverts at exactly the arbiter's deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { slot, booked } = await disputed(f, f.ethOffering, 1);
      const deadline = settlesAt({ slotStart: slot }, TIMING) + ARBITER_TIMEOUT;
      await atTime(deadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([booked.id, 5_000], { account: f.arbiter.account }),
        f.escrow,
        "ArbiterTimedOut",
        [booked.id, BigInt(deadline)],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Disputed);
    });

    it("reverts when the ruling is above 100 %", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([booked.id, 10_001], { account: f.arbiter.account }),
        f.escrow,
        "ShareAboveWhole",
        [10_001n],
      );
      assert.equal(await ethBalance(f, f.escrow.address), ETH_DEPOSIT);
    });

    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const { booked } = await disputed(f, f.ethOffering, 1);
      const missing = booked.id + 1n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.resolve([missing, 5_000], { account: f.arbiter.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
    });
  });
});
