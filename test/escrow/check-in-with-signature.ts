// checkInWithSignature: the customer's EIP-712 "I am here" (bound to the booking, the chain and the escrow; ERC-1271
// for contract wallets), submitted by the merchant or its check-in staff from 1 h before the slot until it ends.
// The customer chose it, so it ends their right to cancel.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, hashTypedData, type Hex } from "viem";
import { checkInTypes, STAFF_CHECK_IN } from "@earnest/sdk";
import { book, expectCheckedIn, type Booked } from "../support/booking.js";
import { atTime } from "../support/chain.js";
import {
  CHECK_IN_OPENS,
  deploySmartWallet,
  deployEarnestEscrow,
  deployWithStaff,
  deployWithTwoMerchants,
  FEE_BPS,
  HOUR,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  viem,
  type Fixture,
  type Wallet,
} from "../support/fixture.js";
import { signCheckIn } from "../support/signing.js";

/** A one-seat ETH booking three days ahead and its customer's check-in signature. */
async function signedBooking(f: Fixture): Promise<{ slot: number; booked: Booked; signature: Hex }> {
  const slot = await slotInDays(f.grid, 3);
  const booked = await book(f, f.ethOffering, slot, 1);
  return { slot, booked, signature: await signCheckIn(f.customer, booked.id, f.escrow.address) };
}

/** `by` submits `signature` at exactly `at`; asserts the event, the stored flag and that no funds moved. */
async function checkInAt(f: Fixture, booked: Booked, signature: Hex, at: number, by: Wallet = f.merchant) {
  const send = () => f.escrow.write.checkInWithSignature([booked.id, signature], { account: by.account });
  await expectCheckedIn(f, booked, { send, at, by, customerSigned: true });
}

/** Submitting `signature` now is refused as not the customer's. */
async function rejected(f: Fixture, booked: Booked, signature: Hex): Promise<void> {
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account }),
    f.escrow,
    "InvalidCheckInSignature",
    [booked.id, booked.customer],
  );
  assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
}

describe("checkInWithSignature", () => {
  describe("window", () => {
    it("succeeds at exactly 1 h before the start, submitted by the merchant", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      assert.equal(await f.escrow.read.CHECK_IN_OPENS_BEFORE_START(), BigInt(CHECK_IN_OPENS));
      await checkInAt(f, booked, signature, slot - HOUR);
    });

    it("succeeds at exactly 1 h before the start, submitted by check-in staff", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await checkInAt(f, booked, signature, slot - HOUR, f.checkInStaff);
    });

    it("succeeds one second before the slot ends", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await checkInAt(f, booked, signature, slot + SLOT_LENGTH - 1, f.checkInStaff);
    });

    it("succeeds while the protocol is paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await checkInAt(f, booked, signature, slot);
    });

    it("reverts one second before 1 h before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await atTime(slot - HOUR - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.checkInStaff.account }),
        f.escrow,
        "CheckInClosed",
        [booked.id, BigInt(slot - HOUR), BigInt(slot + SLOT_LENGTH)],
      );
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts at exactly the end of the slot and after it", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      for (const at of [slot + SLOT_LENGTH, slot + SLOT_LENGTH + 5 * HOUR]) {
        await atTime(at);
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account }),
          f.escrow,
          "CheckInClosed",
          [booked.id, BigInt(slot - HOUR), BigInt(slot + SLOT_LENGTH)],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });
  });

  describe("signature", () => {
    it("succeeds in signing the digest that hashCheckIn returns, under the escrow's version 2 domain", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { booked } = await signedBooking(f);
      const digest = hashTypedData({
        domain: {
          name: "Earnest",
          version: "2",
          chainId: await f.publicClient.getChainId(),
          verifyingContract: f.escrow.address,
        },
        types: checkInTypes,
        primaryType: "CheckIn",
        message: { bookingId: booked.id },
      });
      assert.equal(await f.escrow.read.hashCheckIn([booked.id]), digest);
    });

    it("succeeds for a contract-wallet customer through ERC-1271", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const wallet = await deploySmartWallet(f.customer2);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1, wallet, f.customer2);
      assert.equal(booked.customer, getAddress(wallet.address));
      // The wallet's owner key signs for the wallet.
      const signature = await signCheckIn(f.customer2, booked.id, f.escrow.address);
      await checkInAt(f, booked, signature, slot - HOUR / 2, f.checkInStaff);
    });

    it("reverts when a contract wallet's check-in is signed by a key that is not its owner", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const wallet = await deploySmartWallet(f.customer2);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.ethOffering, slot, 1, wallet, f.customer2);
      await atTime(slot);
      await rejected(f, booked, await signCheckIn(f.customer, booked.id, f.escrow.address));
    });

    it("reverts when the signature is for another booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await signedBooking(f);
      const other = await book(f, f.ethOffering, slot, 1);
      const foreign = await signCheckIn(f.customer, other.id, f.escrow.address);
      await atTime(slot);
      await rejected(f, booked, foreign);
      // It is the other booking's, and works there.
      await f.escrow.write.checkInWithSignature([other.id, foreign], { account: f.merchant.account });
      assert.equal((await f.escrow.read.getBooking([other.id])).checkedIn, true);
    });

    it("reverts when the signature is for another escrow", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await signedBooking(f);
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      assert.notEqual(await other.read.hashCheckIn([booked.id]), await f.escrow.read.hashCheckIn([booked.id]));
      await atTime(slot);
      await rejected(f, booked, await signCheckIn(f.customer, booked.id, other.address));
    });

    it("reverts when the signature is for another chain", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await signedBooking(f);
      const chainId = await f.publicClient.getChainId();
      await atTime(slot);
      await rejected(f, booked, await signCheckIn(f.customer, booked.id, f.escrow.address, chainId + 1));
    });

    it("reverts when the signature is under the version 1 domain", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await signedBooking(f);
      const v1 = await f.customer.signTypedData({
        account: f.customer.account,
        domain: {
          name: "Earnest",
          version: "1",
          chainId: await f.publicClient.getChainId(),
          verifyingContract: f.escrow.address,
        },
        types: checkInTypes,
        primaryType: "CheckIn",
        message: { bookingId: booked.id },
      });
      await atTime(slot);
      await rejected(f, booked, v1);
    });

    it("reverts when someone other than the customer signed", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await signedBooking(f);
      await atTime(slot);
      for (const signer of [f.customer2, f.merchant, f.checkInStaff, f.stranger]) {
        await rejected(f, booked, await signCheckIn(signer, booked.id, f.escrow.address));
      }
    });

    it("reverts when the signature is empty or malformed", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked } = await signedBooking(f);
      await atTime(slot);
      const garbage: Hex[] = ["0x", `0x${"11".repeat(65)}`, `0x${"22".repeat(10)}`];
      for (const signature of garbage) await rejected(f, booked, signature);
    });

    it("reverts when the same signature is replayed on its booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await checkInAt(f, booked, signature, slot - HOUR / 2, f.checkInStaff);
      for (const by of [f.checkInStaff, f.merchant]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkInWithSignature([booked.id, signature], { account: by.account }),
          f.escrow,
          "AlreadyCheckedIn",
          [booked.id],
        );
      }
    });

    it("reverts when the merchant's word came first", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await atTime(slot);
      await f.escrow.write.checkIn([booked.id], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account }),
        f.escrow,
        "AlreadyCheckedIn",
        [booked.id],
      );
    });
  });

  describe("reverts", () => {
    it("reverts when the booking is disputed, leaving it not checked in", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await atTime(slot);
      await f.escrow.write.dispute([booked.id, "no table"], { account: f.customer.account });
      for (const by of [f.merchant, f.checkInStaff]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkInWithSignature([booked.id, signature], { account: by.account }),
          f.escrow,
          "WrongStatus",
          [booked.id, Status.Disputed],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts when the customer cancelled the booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await f.escrow.write.cancel([booked.id], { account: f.customer.account });
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account }),
        f.escrow,
        "WrongStatus",
        [booked.id, Status.CustomerCancelled],
      );
    });

    it("reverts when the submitter is neither the merchant nor its check-in staff, the customer included", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await atTime(slot);
      for (const caller of [f.stranger, f.customer, f.payout, f.arbiter, f.cancelStaff, f.couponStaff]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.checkInWithSignature([booked.id, signature], { account: caller.account }),
          f.escrow,
          "NotMerchantOrStaff",
          [booked.id, getAddress(caller.account.address), STAFF_CHECK_IN],
        );
      }
      assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    });

    it("reverts when the check-in staff was revoked, at once", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      await atTime(slot);
      await f.escrow.write.setStaffRoles([f.checkInStaff.account.address, 0], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.checkInStaff.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.checkInStaff.account.address), STAFF_CHECK_IN],
      );
    });

    it("reverts for another merchant, even with the customer's valid signature", async () => {
      const f = await networkHelpers.loadFixture(deployWithTwoMerchants);
      const { slot, booked, signature } = await signedBooking(f);
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant2.account }),
        f.escrow,
        "NotMerchantOrStaff",
        [booked.id, getAddress(f.merchant2.account.address), STAFF_CHECK_IN],
      );
    });

    it("reverts when the booking does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithStaff);
      const { slot, booked, signature } = await signedBooking(f);
      const missing = booked.id + 1n;
      await atTime(slot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.checkInWithSignature([missing, signature], { account: f.merchant.account }),
        f.escrow,
        "BookingNotFound",
        [missing],
      );
    });
  });
});
