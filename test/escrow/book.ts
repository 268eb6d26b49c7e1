// book: paying a deposit in ETH or in an allow-listed ERC-20 on allowance; the Booked event, the stored booking,
// seats, balances, the fee snapshot, every revert, and the numbering of booking ids.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther, zeroHash } from "viem";
import { encodeBookingId, MAX_FEE_BPS } from "@earnest/sdk";
import { book, bookedEvent } from "../support/booking.js";
import { atTime, txTimestamp } from "../support/chain.js";
import {
  createOffering,
  DAY,
  deployWithTokenOffering,
  deployWithOfferings,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  FEE_BPS,
  HOUR,
  MAX_ADVANCE,
  MIN_LEAD_TIME,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  terms,
  USD_DEPOSIT,
  viem,
} from "../support/fixture.js";

/** The highest fee offering 3 of `deployWithFeeCappedOffering` accepts: the fixture's fee. */
const CAPPED_FEE_BPS = FEE_BPS;

/** The fixture plus offering 3: the default terms, accepting a protocol fee of at most 2.5 %. */
async function deployWithFeeCappedOffering() {
  const f = await deployWithOfferings();
  await createOffering(f, { maxFeeBps: CAPPED_FEE_BPS });
  return { ...f, cappedOffering: 3 };
}

/** The fixture plus a FeeOnTransferToken, allow-listed, minted to the customer, with an offering (id 3). */
const deployWithFeeOnTransferOffering = () =>
  deployWithTokenOffering(() => viem.deployContract("FeeOnTransferToken"), 10_000_000n);

/** The fixture plus a token whose `transferFrom` returns false, with an offering (id 3). */
const deployWithFalseReturningOffering = () =>
  deployWithTokenOffering(() => viem.deployContract("FalseReturningToken"), 10_000_000n);

describe("book", () => {
  describe("with ETH", () => {
    it("succeeds with the exact deposit: event, stored booking, seats and balances", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const amount = 2n * ETH_DEPOSIT;
      const details = detailsHash("alice");
      const id = encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 });
      const hash = await f.escrow.write.book([1, slot, 2, details], { account: f.customer.account, value: amount });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Booked", [
        id,
        1,
        getAddress(f.customer.account.address),
        slot,
        2,
        amount,
        FEE_BPS,
        details,
      ]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.customer.account.address, amount: -amount },
        { address: f.escrow.address, amount },
      ]);
      assert.deepEqual(await f.escrow.read.getBooking([id]), {
        bookingId: id,
        offeringId: 1,
        customer: getAddress(f.customer.account.address),
        slotStart: slot,
        seats: 2,
        feeBps: FEE_BPS,
        status: Status.Booked,
        checkedIn: false,
        amount,
      });
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 2n);
      assert.equal(await f.publicClient.getBalance({ address: f.escrow.address }), amount);
    });

    it("succeeds in returning the new booking id", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const { result } = await f.escrow.simulate.book([1, slot, 1, zeroHash], {
        account: f.customer.account.address,
        value: ETH_DEPOSIT,
      });
      assert.equal(result, encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }));
    });

    it("succeeds in filling the slot exactly, leaving no seat", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await book(f, 1, slot, 3);
      await book(f, 1, slot, 1, f.customer2);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 0n);
      const second = await f.escrow.read.getBooking([encodeBookingId({ offeringId: 1, slotStart: slot, n: 2 })]);
      assert.equal(second.customer, getAddress(f.customer2.account.address));
      assert.equal(second.seats, 1);
    });
  });

  describe("with the stablecoin on allowance", () => {
    it("succeeds with the exact deposit pulled from the customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      const amount = 3n * USD_DEPOSIT;
      const customer = f.customer.account.address;
      await f.stablecoin.write.approve([f.escrow.address, amount], { account: f.customer.account });
      const customerBefore = await f.stablecoin.read.balanceOf([customer]);
      const details = detailsHash("bob");
      const id = encodeBookingId({ offeringId: 2, slotStart: slot, n: 1 });
      const hash = await f.escrow.write.book([2, slot, 3, details], { account: f.customer.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Booked", [
        id,
        2,
        getAddress(customer),
        slot,
        3,
        amount,
        FEE_BPS,
        details,
      ]);
      // No ETH moves for a token booking.
      await viem.assertions.balancesHaveChanged(hash, [{ address: f.escrow.address, amount: 0n }]);
      assert.equal(await f.stablecoin.read.balanceOf([customer]), customerBefore - amount);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), amount);
      assert.equal(await f.stablecoin.read.allowance([customer, f.escrow.address]), 0n);
      const view = await f.escrow.read.getBooking([id]);
      assert.equal(view.amount, amount);
      assert.equal(view.status, Status.Booked);
      assert.equal(view.offeringId, 2);
      assert.equal(await f.escrow.read.seatsLeft([2, slot]), 7n);
    });

    it("succeeds with a larger allowance, leaving the rest of it", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      await f.stablecoin.write.approve([f.escrow.address, 10n * USD_DEPOSIT], { account: f.customer.account });
      await f.escrow.write.book([2, slot, 4, zeroHash], { account: f.customer.account });
      assert.equal(await f.stablecoin.read.allowance([f.customer.account.address, f.escrow.address]), 6n * USD_DEPOSIT);
    });

    it("reverts when there is no allowance (the token's own error)", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([2, slot, 1, zeroHash], { account: f.customer.account }),
        f.stablecoin,
        "ERC20InsufficientAllowance",
        [getAddress(f.escrow.address), 0n, USD_DEPOSIT],
      );
      assert.equal(await f.escrow.read.seatsLeft([2, slot]), 10n);
    });

    it("reverts when the allowance is one unit short", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      await f.stablecoin.write.approve([f.escrow.address, 2n * USD_DEPOSIT - 1n], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([2, slot, 2, zeroHash], { account: f.customer.account }),
        f.stablecoin,
        "ERC20InsufficientAllowance",
        [getAddress(f.escrow.address), 2n * USD_DEPOSIT - 1n, 2n * USD_DEPOSIT],
      );
    });

    it("reverts when the customer's balance is short", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      await f.stablecoin.write.approve([f.escrow.address, USD_DEPOSIT], { account: f.stranger.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([2, slot, 1, zeroHash], { account: f.stranger.account }),
        f.stablecoin,
        "ERC20InsufficientBalance",
        [getAddress(f.stranger.account.address), 0n, USD_DEPOSIT],
      );
    });

    it("reverts when the token takes a fee on transfer", async () => {
      const f = await networkHelpers.loadFixture(deployWithFeeOnTransferOffering);
      const slot = await slotInDays(f.grid, 2);
      const deposit = 10_000_000n;
      await f.mock.write.approve([f.escrow.address, deposit], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([f.mockOffering, slot, 1, zeroHash], { account: f.customer.account }),
        f.escrow,
        "TokenAmountMismatch",
        [getAddress(f.mock.address), deposit, deposit - deposit / 100n],
      );
      assert.equal(await f.mock.read.balanceOf([f.escrow.address]), 0n);
    });
  });

  describe("with a token whose transferFrom returns false", () => {
    it("reverts with SafeERC20FailedOperation and takes no seat", async () => {
      const f = await networkHelpers.loadFixture(deployWithFalseReturningOffering);
      const slot = await slotInDays(f.grid, 2);
      await f.mock.write.approve([f.escrow.address, 10_000_000n], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([f.mockOffering, slot, 1, zeroHash], { account: f.customer.account }),
        f.escrow,
        "SafeERC20FailedOperation",
        [getAddress(f.mock.address)],
      );
      assert.equal(await f.escrow.read.seatsLeft([f.mockOffering, slot]), 4n);
    });
  });

  describe("fee snapshot", () => {
    it("succeeds with the fee of the config at booking time, unaffected by a later setFee", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const first = await book(f, 1, slot, 2);
      assert.equal(first.feeBps, FEE_BPS);

      await f.escrow.write.setFee([1_000]);
      const second = await book(f, 1, slot, 1);
      assert.equal(second.feeBps, 1_000);
      assert.equal((await f.escrow.read.getBooking([first.bookingId])).feeBps, FEE_BPS);
      assert.equal((await f.escrow.read.getBooking([second.bookingId])).feeBps, 1_000);

      // The first booking settles with its own snapshot: a cancellation with no refund pays 2.5 %, not 10 %.
      await atTime(slot - 2 * HOUR);
      const amount = 2n * ETH_DEPOSIT;
      const fee = (amount * BigInt(FEE_BPS)) / 10_000n;
      const hash = f.escrow.write.cancel([first.bookingId], { account: f.customer.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "Settled", [
        first.bookingId,
        Status.CustomerCancelled,
        0n,
        0n,
        amount - fee,
        fee,
      ]);
      assert.equal(await f.escrow.read.feesOwed([ETH]), 500_000_000_000_000n);
    });

    it("succeeds with a zero fee snapshot when the fee was zero at booking time", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await f.escrow.write.setFee([0]);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, 2, slot, 1);
      assert.equal(booked.feeBps, 0);
      await f.escrow.write.setFee([FEE_BPS]);
      assert.equal((await f.escrow.read.getBooking([booked.bookingId])).feeBps, 0);
    });
  });

  describe("the highest fee the offering accepts (finding 7)", () => {
    it("succeeds at exactly the offering's highest fee, snapshotting it", async () => {
      const f = await networkHelpers.loadFixture(deployWithFeeCappedOffering);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, f.cappedOffering, slot, 1);
      assert.equal(booked.feeBps, CAPPED_FEE_BPS);
      assert.equal((await f.escrow.read.getBooking([booked.id])).feeBps, CAPPED_FEE_BPS);
    });

    it("reverts when a fee raised above it outran the booking, and succeeds once the fee is back under it", async () => {
      const f = await networkHelpers.loadFixture(deployWithFeeCappedOffering);
      const slot = await slotInDays(f.grid, 3);
      // The owner's setFee is mined before the customer's pending booking.
      for (const fee of [MAX_FEE_BPS, CAPPED_FEE_BPS + 1]) {
        await f.escrow.write.setFee([fee], { account: f.owner.account });
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.book([f.cappedOffering, slot, 1, zeroHash], {
            account: f.customer.account,
            value: ETH_DEPOSIT,
          }),
          f.escrow,
          "FeeAboveOfferingMaximum",
          [f.cappedOffering, fee, CAPPED_FEE_BPS],
        );
      }
      assert.equal(await f.escrow.read.seatsLeft([f.cappedOffering, slot]), 4n);
      assert.equal(await f.publicClient.getBalance({ address: f.escrow.address }), 0n);

      await f.escrow.write.setFee([100], { account: f.owner.account });
      const booked = await book(f, f.cappedOffering, slot, 1);
      assert.equal(booked.feeBps, 100);
    });

    it("succeeds at the highest fee the protocol allows on an offering that accepts it", async () => {
      const f = await networkHelpers.loadFixture(deployWithFeeCappedOffering);
      const slot = await slotInDays(f.grid, 3);
      await f.escrow.write.setFee([MAX_FEE_BPS], { account: f.owner.account });
      const booked = await book(f, f.ethOffering, slot, 1);
      assert.equal(booked.feeBps, MAX_FEE_BPS);
    });

    it("reverts on an offering that accepts no fee until the fee is zero", async () => {
      const f = await networkHelpers.loadFixture(deployWithFeeCappedOffering);
      await createOffering(f, { maxFeeBps: 0 });
      const slot = await slotInDays(f.grid, 3);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([4, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "FeeAboveOfferingMaximum",
        [4, FEE_BPS, 0],
      );
      await f.escrow.write.setFee([0], { account: f.owner.account });
      assert.equal((await book(f, 4, slot, 1)).feeBps, 0);
    });
  });

  describe("the offering's arbiter (finding 4)", () => {
    it("reverts when the arbiter books the offering it arbitrates", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([f.ethOffering, slot, 1, zeroHash], { account: f.arbiter.account, value: ETH_DEPOSIT }),
        f.escrow,
        "ArbiterCannotBook",
        [f.ethOffering, getAddress(f.arbiter.account.address)],
      );
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    });

    it("succeeds when the arbiter books an offering it does not arbitrate", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await createOffering(f);
      const slot = await slotInDays(f.grid, 3);
      const booked = await book(f, 3, slot, 1, f.arbiter);
      assert.equal(booked.customer, getAddress(f.arbiter.account.address));
    });

    it("succeeds for a customer whose address ends in the same 24 bits as the arbiter's", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      // Another address with the arbiter's last three bytes, acting through the node's impersonation.
      const arbiter = f.arbiter.account.address;
      const lookalike = getAddress(`0x${"5a".repeat(17)}${arbiter.slice(-6)}`);
      assert.notEqual(lookalike, getAddress(arbiter));
      await networkHelpers.impersonateAccount(lookalike);
      await networkHelpers.setBalance(lookalike, parseEther("1"));
      const hash = await f.escrow.write.book([f.ethOffering, slot, 1, zeroHash], {
        account: lookalike,
        value: ETH_DEPOSIT,
      });
      assert.equal((await bookedEvent(f, hash)).customer, lookalike);
    });
  });

  describe("reverts", () => {
    it("reverts when bookings are paused, and succeeds once resumed", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await f.escrow.write.setPaused([true]);
      await viem.assertions.revertWithCustomError(
        f.escrow.write.book([1, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "BookingsPaused",
      );
      await f.escrow.write.setPaused([false]);
      const booked = await book(f, 1, slot, 1);
      assert.equal(booked.bookingId, encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }));
    });

    it("reverts when the offering does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      for (const id of [0, 3]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.book([id, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
          f.escrow,
          "OfferingNotFound",
          [id],
        );
      }
    });

    it("reverts when the offering is inactive, and succeeds once reopened", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await f.escrow.write.setOfferingActive([1, false], { account: f.merchant.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "OfferingInactive",
        [1],
      );
      await f.escrow.write.setOfferingActive([1, true], { account: f.merchant.account });
      await book(f, 1, slot, 1);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 3n);
    });

    it("reverts when the offering's token was removed from the allow-list after it was created", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await f.escrow.write.setTokenAllowed([f.stablecoin.address, false]);
      await f.stablecoin.write.approve([f.escrow.address, USD_DEPOSIT], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([2, slot, 1, zeroHash], { account: f.customer.account }),
        f.escrow,
        "TokenNotAllowed",
        [getAddress(f.stablecoin.address)],
      );
    });

    it("reverts when zero seats are asked for", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await viem.assertions.revertWithCustomError(
        f.escrow.write.book([1, slot, 0, zeroHash], { account: f.customer.account, value: 0n }),
        f.escrow,
        "ZeroSeats",
      );
    });

    it("reverts when the start is between two grid points", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      for (const start of [slot + 1, slot + HOUR, slot - 1]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.write.book([1, start, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
          f.escrow,
          "SlotOffGrid",
          [1, start, f.grid, SLOT_LENGTH],
        );
      }
    });

    it("reverts when the start is on the step but before firstSlotStart", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const first = f.grid + 10 * DAY;
      await f.escrow.write.createOffering([terms(f.grid, { firstSlotStart: first })], { account: f.merchant.account });
      const before = first - 5 * SLOT_LENGTH;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([3, before, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "SlotOffGrid",
        [3, before, first, SLOT_LENGTH],
      );
      // The grid's origin itself is bookable.
      const booked = await book(f, 3, first, 1);
      assert.equal(booked.slotStart, first);
    });

    it("reverts when the slot starts sooner than the minimum lead time", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      const t = slot - MIN_LEAD_TIME + 1;
      await atTime(t);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "SlotOutsideBookingWindow",
        [1, slot, BigInt(t + MIN_LEAD_TIME), BigInt(t + MAX_ADVANCE)],
      );
    });

    it("succeeds at exactly the minimum lead time before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 2);
      await atTime(slot - MIN_LEAD_TIME);
      const booked = await book(f, 1, slot, 1);
      assert.equal(await txTimestamp(f, booked.hash), slot - MIN_LEAD_TIME);
      assert.equal(booked.bookingId, encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }));
    });

    it("reverts when the slot is in the past", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const latest = Number(await networkHelpers.time.latest());
      const past = f.grid; // the fixture's grid origin is at or before now
      assert.ok(past <= latest);
      await atTime(latest + 10);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, past, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "SlotOutsideBookingWindow",
        [1, past, BigInt(latest + 10 + MIN_LEAD_TIME), BigInt(latest + 10 + MAX_ADVANCE)],
      );
    });

    it("reverts when the slot starts later than the maximum advance", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 95);
      const t = slot - MAX_ADVANCE - 1;
      await atTime(t);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT }),
        f.escrow,
        "SlotOutsideBookingWindow",
        [1, slot, BigInt(t + MIN_LEAD_TIME), BigInt(slot - 1)],
      );
    });

    it("succeeds at exactly the maximum advance before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 95);
      await atTime(slot - MAX_ADVANCE);
      const { hash } = await book(f, 1, slot, 1);
      assert.equal(await txTimestamp(f, hash), slot - MAX_ADVANCE);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 3n);
    });

    it("reverts when the slot is full, reporting the seats left", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await book(f, 1, slot, 3);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 2, zeroHash], { account: f.customer2.account, value: 2n * ETH_DEPOSIT }),
        f.escrow,
        "SlotFull",
        [1, slot, 1n, 2],
      );
      await book(f, 1, slot, 1, f.customer2);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 1, zeroHash], { account: f.customer2.account, value: ETH_DEPOSIT }),
        f.escrow,
        "SlotFull",
        [1, slot, 0n, 1],
      );
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 0n);
    });

    it("reverts when more seats than the slot holds are asked for at once", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 5, zeroHash], { account: f.customer.account, value: 5n * ETH_DEPOSIT }),
        f.escrow,
        "SlotFull",
        [1, slot, 4n, 5],
      );
    });

    it("reverts when too little ETH is sent", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const due = 2n * ETH_DEPOSIT;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 2, zeroHash], { account: f.customer.account, value: due - 1n }),
        f.escrow,
        "WrongPayment",
        [due, due - 1n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 2, zeroHash], { account: f.customer.account, value: 0n }),
        f.escrow,
        "WrongPayment",
        [due, 0n],
      );
    });

    it("reverts when too much ETH is sent", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([1, slot, 1, zeroHash], { account: f.customer.account, value: ETH_DEPOSIT + 1n }),
        f.escrow,
        "WrongPayment",
        [ETH_DEPOSIT, ETH_DEPOSIT + 1n],
      );
      assert.equal(await f.publicClient.getBalance({ address: f.escrow.address }), 0n);
    });

    it("reverts when ETH is sent to a token offering", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await f.stablecoin.write.approve([f.escrow.address, USD_DEPOSIT], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.book([2, slot, 1, zeroHash], { account: f.customer.account, value: 1n }),
        f.escrow,
        "WrongPayment",
        [0n, 1n],
      );
    });
  });

  describe("booking ids", () => {
    it("succeeds in numbering a slot's bookings from 1, and each other slot from 1 again", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const a = await slotInDays(f.grid, 3);
      const b = a + SLOT_LENGTH;
      const ids: bigint[] = [];
      ids.push((await book(f, 1, a, 1)).bookingId);
      ids.push((await book(f, 1, a, 1, f.customer2)).bookingId);
      ids.push((await book(f, 1, b, 2)).bookingId);
      ids.push((await book(f, 1, a, 1)).bookingId);
      ids.push((await book(f, 2, a, 1)).bookingId);
      assert.deepEqual(ids, [
        encodeBookingId({ offeringId: 1, slotStart: a, n: 1 }),
        encodeBookingId({ offeringId: 1, slotStart: a, n: 2 }),
        encodeBookingId({ offeringId: 1, slotStart: b, n: 1 }),
        encodeBookingId({ offeringId: 1, slotStart: a, n: 3 }),
        encodeBookingId({ offeringId: 2, slotStart: a, n: 1 }),
      ]);
      // The layout, written out: offering in the top bits, then the 40-bit start, then the 32-bit counter.
      assert.equal(ids[3], (1n << 72n) + (BigInt(a) << 32n) + 3n);
    });

    it("succeeds in never reusing a number after a cancellation frees the seats", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const first = await book(f, 1, slot, 4);
      await f.escrow.write.cancel([first.bookingId], { account: f.customer.account });
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 4n);
      const second = await book(f, 1, slot, 4, f.customer2);
      assert.equal(second.bookingId, encodeBookingId({ offeringId: 1, slotStart: slot, n: 2 }));
      assert.equal((await f.escrow.read.getBooking([first.bookingId])).status, Status.CustomerCancelled);
    });
  });
});
