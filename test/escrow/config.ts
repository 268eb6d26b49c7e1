// ProtocolConfig: the owner's levers (fee, fee recipient, pause, token allow-list), which the escrow's fallback runs
// in its extension against the escrow's owner; their guards and events; that a pause stops new bookings only; the
// two-step ownership transfer; and the constructor's checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, zeroAddress } from "viem";
import { settlesAt, STAFF_CHECK_IN } from "@earnest/sdk";
import { book } from "../support/booking.js";
import { atTime, mined } from "../support/chain.js";
import {
  CHECK_IN_OPENS,
  deployEarnestEscrow,
  deployEscrow,
  deployWithOfferings,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  FEE_BPS,
  networkHelpers,
  slotInDays,
  Status,
  terms,
  TIMING,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { signCheckIn } from "../support/signing.js";

const MAX_FEE_BPS = 1_000;

/** The fixture escrow plus a second token that is not allow-listed. */
async function deployConfigFixture() {
  const f = await deployEscrow();
  const otherToken = await viem.deployContract("MockStablecoin");
  return { ...f, otherToken };
}

describe("ProtocolConfig", () => {
  describe("constructor", () => {
    it("succeeds with the owner, fee recipient and fee given", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      assert.equal(await f.escrow.read.owner(), getAddress(f.owner.account.address));
      assert.equal(await f.escrow.read.pendingOwner(), zeroAddress);
      assert.deepEqual(await f.escrow.read.config(), {
        feeRecipient: getAddress(f.feeRecipient.account.address),
        feeBps: FEE_BPS,
        paused: false,
      });
      assert.equal(await f.escrow.read.MAX_FEE_BPS(), MAX_FEE_BPS);
    });

    it("succeeds with the fee exactly at the cap", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      const escrow = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, MAX_FEE_BPS);
      assert.equal((await escrow.read.config()).feeBps, MAX_FEE_BPS);
    });

    it("reverts when the fee is above the cap", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, MAX_FEE_BPS + 1),
        f.escrow,
        "FeeTooHigh",
        [MAX_FEE_BPS + 1, MAX_FEE_BPS],
      );
    });

    it("reverts when the fee recipient is the zero address", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        deployEarnestEscrow(f.owner.account.address, zeroAddress, FEE_BPS),
        f.escrow,
        "InvalidRecipient",
        [zeroAddress],
      );
    });

    it("reverts when the owner is the zero address", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        deployEarnestEscrow(zeroAddress, f.feeRecipient.account.address, FEE_BPS),
        f.escrow,
        "OwnableInvalidOwner",
        [zeroAddress],
      );
    });
  });

  describe("setFee", () => {
    it("succeeds for the owner and emits FeeSet", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      const hash = f.escrow.write.setFee([400]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "FeeSet", [400]);
      assert.equal((await f.escrow.read.config()).feeBps, 400);
    });

    it("succeeds with the fee exactly at MAX_FEE_BPS", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.emitWithArgs(f.escrow.write.setFee([MAX_FEE_BPS]), f.escrow, "FeeSet", [MAX_FEE_BPS]);
      assert.equal((await f.escrow.read.config()).feeBps, MAX_FEE_BPS);
    });

    it("succeeds with a zero fee", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.setFee([0]);
      assert.equal((await f.escrow.read.config()).feeBps, 0);
    });

    it("reverts when the fee is MAX_FEE_BPS + 1", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setFee([MAX_FEE_BPS + 1]),
        f.escrow,
        "FeeTooHigh",
        [MAX_FEE_BPS + 1, MAX_FEE_BPS],
      );
      assert.equal((await f.escrow.read.config()).feeBps, FEE_BPS);
    });

    it("reverts when the caller is not the owner", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setFee([0], { account: f.stranger.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.stranger.account.address)],
      );
      assert.equal((await f.escrow.read.config()).feeBps, FEE_BPS);
    });
  });

  describe("setFeeRecipient", () => {
    it("succeeds for the owner and emits FeeRecipientSet", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      const hash = f.escrow.write.setFeeRecipient([f.stranger.account.address]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "FeeRecipientSet", [getAddress(f.stranger.account.address)]);
      assert.deepEqual(await f.escrow.read.config(), {
        feeRecipient: getAddress(f.stranger.account.address),
        feeBps: FEE_BPS,
        paused: false,
      });
    });

    it("reverts when the recipient is the zero address or the escrow", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      for (const recipient of [zeroAddress, getAddress(f.escrow.address)]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.setFeeRecipient([recipient]),
          f.escrow,
          "InvalidRecipient",
          [recipient],
        );
      }
      assert.equal((await f.escrow.read.config()).feeRecipient, getAddress(f.feeRecipient.account.address));
    });

    it("reverts when the caller is not the owner", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setFeeRecipient([f.stranger.account.address], { account: f.feeRecipient.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.feeRecipient.account.address)],
      );
    });
  });

  describe("setPaused", () => {
    it("succeeds in pausing and resuming, emitting PausedSet each time", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.emitWithArgs(f.escrow.write.setPaused([true]), f.escrow, "PausedSet", [true]);
      assert.equal((await f.escrow.read.config()).paused, true);
      await viem.assertions.emitWithArgs(f.escrow.write.setPaused([false]), f.escrow, "PausedSet", [false]);
      assert.equal((await f.escrow.read.config()).paused, false);
    });

    it("succeeds in leaving the fee and recipient untouched", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.setPaused([true]);
      assert.deepEqual(await f.escrow.read.config(), {
        feeRecipient: getAddress(f.feeRecipient.account.address),
        feeBps: FEE_BPS,
        paused: true,
      });
    });

    it("reverts when the caller is not the owner", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setPaused([true], { account: f.merchant.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.merchant.account.address)],
      );
      assert.equal((await f.escrow.read.config()).paused, false);
    });
  });

  describe("setPaused: only new bookings stop", () => {
    /**
     * The fixture with bookings made before the owner pauses: on offering 1 (ETH, arbiter) two in a slot two days
     * ahead (`cancelled`, `merchantCancelled`) and four in a slot one day ahead (`signed`, `merchantWord`,
     * `disputed`, `settled`); on offering 2 (stablecoin) one in that slot (`claimed`). Then the owner pauses.
     */
    async function deployPausedWithBookings() {
      const f = await deployWithOfferings();
      const near = await slotInDays(f.grid, 1);
      const far = await slotInDays(f.grid, 2);
      const ids = {
        cancelled: (await book(f, f.ethOffering, far, 1)).id,
        merchantCancelled: (await book(f, f.ethOffering, far, 1, f.customer2)).id,
        signed: (await book(f, f.ethOffering, near, 1)).id,
        merchantWord: (await book(f, f.ethOffering, near, 1, f.customer2)).id,
        disputed: (await book(f, f.ethOffering, near, 1)).id,
        settled: (await book(f, f.ethOffering, near, 1, f.customer2)).id,
        claimed: (await book(f, f.tokenOffering, near, 2)).id,
      };
      await f.escrow.write.setPaused([true]);
      return { ...f, near, far, ids };
    }

    it("reverts when a customer books while paused (BookingsPaused), and succeeds once resumed", async () => {
      const f = await networkHelpers.loadFixture(deployPausedWithBookings);
      const args = [f.ethOffering, f.far, 1, detailsHash("paused")] as const;
      const as = { account: f.customer.account, value: ETH_DEPOSIT };
      await viem.assertions.revertWithCustomError(f.escrow.write.book(args, as), f.escrow, "BookingsPaused");
      await f.escrow.write.setPaused([false]);
      await mined(f, f.escrow.write.book(args, as));
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, f.far]), 1n);
    });

    it("succeeds in every other operation while paused: each booking reaches its outcome", async () => {
      const f = await networkHelpers.loadFixture(deployPausedWithBookings);
      const { ids } = f;
      const as = (w: Wallet) => ({ account: w.account });
      const statusOf = async (id: bigint) => (await f.escrow.read.getBooking([id])).status;

      await mined(f, f.escrow.write.cancel([ids.cancelled], as(f.customer)));
      await mined(f, f.escrow.write.cancelByMerchant([ids.merchantCancelled], as(f.merchant)));
      const signature = await signCheckIn(f.customer, ids.signed, f.escrow.address);
      await atTime(f.near - CHECK_IN_OPENS);
      await mined(f, f.escrow.write.checkInWithSignature([ids.signed, signature], as(f.merchant)));
      await atTime(f.near);
      await mined(f, f.escrow.write.checkIn([ids.merchantWord], as(f.merchant)));
      await mined(f, f.escrow.write.dispute([ids.disputed, "no table"], as(f.customer)));
      await mined(f, f.escrow.write.resolve([ids.disputed, 5_000], as(f.arbiter)));
      await atTime(settlesAt({ slotStart: f.near }, TIMING));
      await mined(f, f.escrow.write.settle([ids.settled], as(f.stranger)));
      await mined(f, f.escrow.write.claim([[ids.signed, ids.merchantWord, ids.claimed]], as(f.merchant)));
      await mined(f, f.escrow.write.withdrawFees([ETH], as(f.stranger)));
      // The registries and staff work too: a new merchant publishes and names staff.
      await mined(f, f.escrow.write.registerMerchant([f.stranger.account.address, "New"], as(f.stranger)));
      await mined(f, f.escrow.write.createOffering([terms(f.grid)], as(f.stranger)));
      await mined(f, f.escrow.write.setOfferingActive([3, false], as(f.stranger)));
      await mined(f, f.escrow.write.setStaffRoles([f.arbiter.account.address, STAFF_CHECK_IN], as(f.stranger)));

      assert.deepEqual(await Promise.all(Object.values(ids).map(statusOf)), [
        Status.CustomerCancelled,
        Status.MerchantCancelled,
        Status.Fulfilled,
        Status.Fulfilled,
        Status.Resolved,
        Status.NoShow,
        Status.NoShow,
      ]);
      assert.equal(await f.escrow.read.feesOwed([ETH]), 0n);
      assert.equal(await f.escrow.read.offeringCount(), 3);
      assert.equal(
        await f.escrow.read.staffRoles([f.stranger.account.address, f.arbiter.account.address]),
        STAFF_CHECK_IN,
      );
      assert.equal((await f.escrow.read.config()).paused, true);
    });
  });

  describe("setTokenAllowed", () => {
    it("succeeds in allowing and removing a token, emitting TokenAllowedSet", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      const token = f.otherToken.address;
      assert.equal(await f.escrow.read.isTokenAllowed([token]), false);
      await viem.assertions.emitWithArgs(f.escrow.write.setTokenAllowed([token, true]), f.escrow, "TokenAllowedSet", [
        getAddress(token),
        true,
      ]);
      assert.equal(await f.escrow.read.isTokenAllowed([token]), true);
      await viem.assertions.emitWithArgs(f.escrow.write.setTokenAllowed([token, false]), f.escrow, "TokenAllowedSet", [
        getAddress(token),
        false,
      ]);
      assert.equal(await f.escrow.read.isTokenAllowed([token]), false);
    });

    it("succeeds in leaving the other tokens unchanged", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.setTokenAllowed([f.otherToken.address, true]);
      await f.escrow.write.setTokenAllowed([f.stablecoin.address, false]);
      assert.equal(await f.escrow.read.isTokenAllowed([f.otherToken.address]), true);
      assert.equal(await f.escrow.read.isTokenAllowed([f.stablecoin.address]), false);
    });

    it("reverts when the token is the zero address (native ETH is always allowed)", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomError(
        f.escrow.write.setTokenAllowed([zeroAddress, false]),
        f.escrow,
        "ZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        f.escrow.write.setTokenAllowed([zeroAddress, true]),
        f.escrow,
        "ZeroAddress",
      );
    });

    it("reverts when the caller is not the owner", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setTokenAllowed([f.otherToken.address, true], { account: f.stranger.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.stranger.account.address)],
      );
      assert.equal(await f.escrow.read.isTokenAllowed([f.otherToken.address]), false);
    });
  });

  describe("ownership (two-step)", () => {
    it("succeeds in recording a pending owner and emitting OwnershipTransferStarted", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      const hash = f.escrow.write.transferOwnership([f.stranger.account.address]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "OwnershipTransferStarted", [
        getAddress(f.owner.account.address),
        getAddress(f.stranger.account.address),
      ]);
      assert.equal(await f.escrow.read.owner(), getAddress(f.owner.account.address));
      assert.equal(await f.escrow.read.pendingOwner(), getAddress(f.stranger.account.address));
    });

    it("reverts when a pending owner that did not accept uses an owner function", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.transferOwnership([f.stranger.account.address]);
      const pending = getAddress(f.stranger.account.address);
      const as = { account: f.stranger.account };
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setFee([0], as),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [pending],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setPaused([true], as),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [pending],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setFeeRecipient([f.stranger.account.address], as),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [pending],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setTokenAllowed([f.otherToken.address, true], as),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [pending],
      );
      // The current owner keeps every power until the transfer is accepted.
      await f.escrow.write.setFee([100]);
      assert.equal((await f.escrow.read.config()).feeBps, 100);
    });

    it("reverts when someone other than the pending owner accepts", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.transferOwnership([f.stranger.account.address]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.acceptOwnership({ account: f.merchant.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.merchant.account.address)],
      );
      assert.equal(await f.escrow.read.owner(), getAddress(f.owner.account.address));
    });

    it("succeeds when the pending owner accepts: the new owner has the powers and the old one none", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.transferOwnership([f.stranger.account.address]);
      const hash = f.escrow.write.acceptOwnership({ account: f.stranger.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "OwnershipTransferred", [
        getAddress(f.owner.account.address),
        getAddress(f.stranger.account.address),
      ]);
      assert.equal(await f.escrow.read.owner(), getAddress(f.stranger.account.address));
      assert.equal(await f.escrow.read.pendingOwner(), zeroAddress);

      await viem.assertions.emitWithArgs(
        f.escrow.write.setFee([700], { account: f.stranger.account }),
        f.escrow,
        "FeeSet",
        [700],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setPaused([true]),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.owner.account.address)],
      );
    });

    it("succeeds in replacing a pending owner, whose acceptance then reverts", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.transferOwnership([f.stranger.account.address]);
      await f.escrow.write.transferOwnership([f.arbiter.account.address]);
      assert.equal(await f.escrow.read.pendingOwner(), getAddress(f.arbiter.account.address));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.acceptOwnership({ account: f.stranger.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.stranger.account.address)],
      );
    });

    it("reverts when a non-owner starts a transfer", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.transferOwnership([f.stranger.account.address], { account: f.stranger.account }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.stranger.account.address)],
      );
      assert.equal(await f.escrow.read.pendingOwner(), zeroAddress);
    });

    it("reverts when the owner tries to renounce, so a pause can always be lifted", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await f.escrow.write.setPaused([true]);
      await viem.assertions.revertWithCustomError(
        f.escrow.read.renounceOwnership({ account: f.owner.account.address }),
        f.escrow,
        "RenounceDisabled",
      );
      assert.equal(await f.escrow.read.owner(), getAddress(f.owner.account.address));
      await f.escrow.write.setPaused([false]);
      assert.equal((await f.escrow.read.config()).paused, false);
    });

    it("reverts when someone other than the owner tries to renounce", async () => {
      const f = await networkHelpers.loadFixture(deployConfigFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.read.renounceOwnership({ account: f.stranger.account.address }),
        f.escrow,
        "OwnableUnauthorizedAccount",
        [getAddress(f.stranger.account.address)],
      );
    });
  });
});
