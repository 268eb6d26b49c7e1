// Signed bookings under attack. A customer's ERC-3009 authorization travels through a relayer and the mempool, so
// anyone may copy it: on the token it is useless (only the escrow, its payee, can execute it, and it is no
// TransferWithAuthorization); through the escrow it books exactly the signed booking for the customer, once. A
// booking that can no longer be made leaves the authorization unused and the funds with the customer. A blacklisted
// customer books nothing and loses nothing; a token that delivers less than authorized is refused; a token that
// re-enters the escrow meets the guard.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeFunctionData,
  getAddress,
  keccak256,
  parseSignature,
  toFunctionSelector,
  toHex,
  zeroHash,
  type Hash,
  type Hex,
} from "viem";
import { encodeBookingId, noCoupon, type BookingIntent } from "@earnest/sdk";
import { inOneBlock, revertOf } from "../support/attackers.js";
import { bookedIn } from "../support/booking.js";
import { mined } from "../support/chain.js";
import {
  createTokenOffering,
  deploySmartWallet,
  deployWithUsdc,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  USDC_DEPOSIT,
  USDC_MINTED,
  viem,
  type Wallet,
} from "../support/fixture.js";
import {
  bookingIntentDigest,
  makeIntent,
  NO_PERMIT,
  signBookingAuthorization,
  signBookingIntent,
  signCancelAuthorization,
  signPermit,
} from "../support/signing.js";

type World = Awaited<ReturnType<typeof deployWithUsdc>>;

const SEATS = 2;
const AMOUNT = BigInt(SEATS) * USDC_DEPOSIT;
/** Enough gas for a booking, given up front so that a transaction that will revert can still be sent. */
const GAS = 500_000n;

/** The customer's intent for SEATS seats of the USDC offering three days ahead and its authorization. */
async function authorized(f: World) {
  const slot = await slotInDays(f.grid, 3);
  const intent = await makeIntent(f.customer.account.address, f.usdcOffering, slot, SEATS);
  const authorization = await signBookingAuthorization(f.customer, f.usdc.address, intent, f.escrow.address, AMOUNT);
  const digest = await bookingIntentDigest(intent, f.escrow.address);
  const { r, s, v, yParity } = parseSignature(authorization);
  return { slot, intent, authorization, digest, r, s, v: Number(v ?? BigInt(yParity + 27)) };
}

function submit(f: World, intent: BookingIntent, authorization: Hex, by: Wallet = f.stranger): Promise<Hash> {
  return f.escrow.write.bookWithAuthorization([intent, authorization, noCoupon, "0x"], {
    account: by.account,
    gas: GAS,
  });
}

/** Asserts the customer still holds every USDC it was minted, the escrow only `held` (others' deposits), and the
 *  authorization is unused. */
async function expectFundsWithCustomer(f: World, digest: Hex, held = 0n): Promise<void> {
  assert.equal(await f.usdc.read.balanceOf([f.customer.account.address]), USDC_MINTED);
  assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), held);
  assert.equal(await f.usdc.read.authorizationState([f.customer.account.address, digest]), false);
}

describe("attacks: signed bookings", () => {
  describe("a front-run ERC-3009 authorization", () => {
    it("cannot be executed on the token by anyone but the escrow, nor as a TransferWithAuthorization", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, authorization, digest, r, s, v } = await authorized(f);
      const customer = getAddress(f.customer.account.address);
      const attacker = f.stranger;
      const validBefore = BigInt(intent.deadline);
      for (const to of [f.escrow.address, attacker.account.address]) {
        const args = [customer, to, AMOUNT, 0n, validBefore, digest, v, r, s] as const;
        const isEscrow = to === f.escrow.address;
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.usdc.write.receiveWithAuthorization(args, { account: attacker.account }),
          f.usdc,
          isEscrow ? "CallerMustBePayee" : "InvalidSignature",
          isEscrow ? [getAddress(attacker.account.address), getAddress(to)] : [customer],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.usdc.write.transferWithAuthorization(args, { account: attacker.account }),
          f.usdc,
          "InvalidSignature",
          [customer],
        );
      }
      await expectFundsWithCustomer(f, digest);
      // The relayer's submission is untouched by all that.
      const receipt = await mined(f, submit(f, intent, authorization));
      assert.equal(bookedIn(f, receipt).customer, customer);
    });

    it("submitted through the escrow first books exactly the signed booking; the relayer's copy reverts, moving nothing", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization } = await authorized(f);
      const attacker = f.stranger;
      const relayer = f.customer2;
      const [attackerReceipt, relayerReceipt] = await inOneBlock(f, [
        () => submit(f, intent, authorization, attacker),
        () => submit(f, intent, authorization, relayer),
      ]);
      const booked = bookedIn(f, attackerReceipt);
      assert.equal(booked.bookingId, encodeBookingId({ offeringId: intent.offeringId, slotStart: slot, n: 1 }));
      assert.equal(booked.customer, getAddress(intent.customer));
      assert.equal(booked.seats, SEATS);
      assert.equal(booked.amount, AMOUNT);
      assert.equal(booked.detailsHash, intent.detailsHash);
      const error = await revertOf(f.escrow.abi, relayerReceipt);
      assert.equal(error.errorName, "BookingNonceUsed");
      assert.deepEqual(error.args, [getAddress(intent.customer), intent.nonce]);
      // One booking, paid once, by the customer; the attacker gained nothing but a gas bill.
      assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n - BigInt(SEATS));
      assert.equal(await f.usdc.read.balanceOf([f.customer.account.address]), USDC_MINTED - AMOUNT);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
      assert.equal(await f.usdc.read.balanceOf([attacker.account.address]), 0n);
      assert.equal((await f.escrow.read.getBooking([booked.bookingId])).status, Status.Booked);
    });

    it("cannot book another slot, offering, seat count, details, nonce or customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      await createTokenOffering(f, f.usdc.address, { depositPerSeat: USDC_DEPOSIT, seatsPerSlot: 10 }); // 4
      const { slot, intent, authorization, digest } = await authorized(f);
      const forgeries: BookingIntent[] = [
        { ...intent, slotStart: slot + SLOT_LENGTH },
        { ...intent, offeringId: 4 },
        { ...intent, seats: 1 },
        { ...intent, seats: 3 },
        { ...intent, detailsHash: keccak256(toHex("the attacker's details")) },
        { ...intent, nonce: keccak256(toHex("the attacker's nonce")) },
        { ...intent, customer: f.customer2.account.address },
      ];
      for (const forged of forgeries) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, forged, authorization),
          f.usdc,
          "InvalidSignature",
          [getAddress(forged.customer)],
        );
      }
      // Nor on the permit path, as if the authorization were the intent's signature.
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithSignature([intent, authorization, NO_PERMIT, noCoupon, "0x"], {
          account: f.stranger.account,
        }),
        f.escrow,
        "InvalidBookingSignature",
        [digest, getAddress(intent.customer)],
      );
      await expectFundsWithCustomer(f, digest);
      for (const offeringId of [f.usdcOffering, 4]) {
        assert.equal(await f.escrow.read.seatsLeft([offeringId, slot]), 10n);
        assert.equal(await f.escrow.read.seatsLeft([offeringId, slot + SLOT_LENGTH]), 10n);
      }
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), false);
    });

    it("cannot be made to burn the customer's booking nonce with a bad authorization", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, authorization, digest } = await authorized(f);
      const garbage = await signBookingAuthorization(f.stranger, f.usdc.address, intent, f.escrow.address, AMOUNT);
      await viem.assertions.revertWithCustomError(submit(f, intent, garbage), f.usdc, "InvalidSignature");
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), false);
      await expectFundsWithCustomer(f, digest);
      await mined(f, submit(f, intent, authorization));
    });

    it("cannot strand the funds when the booking can no longer be made: the authorization stays unused, cancellable", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      // Someone takes the last seats first; the signed booking cannot be made any more.
      const filler = await makeIntent(f.customer2.account.address, f.usdcOffering, slot, 9);
      await mined(
        f,
        submit(
          f,
          filler,
          await signBookingAuthorization(f.customer2, f.usdc.address, filler, f.escrow.address, 9n * USDC_DEPOSIT),
        ),
      );
      await viem.assertions.revertWithCustomErrorWithArgs(submit(f, intent, authorization), f.escrow, "SlotFull", [
        f.usdcOffering,
        slot,
        1n,
        SEATS,
      ]);
      await expectFundsWithCustomer(f, digest, 9n * USDC_DEPOSIT);
      // The customer revokes it on the token; nothing can use it after that, not even once seats are free again.
      const customer = f.customer.account.address;
      const { r, s, v, yParity } = parseSignature(
        await signCancelAuthorization(f.customer, f.usdc.address, customer, digest),
      );
      await mined(
        f,
        f.usdc.write.cancelAuthorization([customer, digest, Number(v ?? BigInt(yParity + 27)), r, s], {
          account: f.stranger.account,
        }),
      );
      const fillerId = encodeBookingId({ offeringId: f.usdcOffering, slotStart: slot, n: 1 });
      await mined(f, f.escrow.write.cancel([fillerId], { account: f.customer2.account }));
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "AuthorizationUsedOrCanceled",
        [getAddress(customer), digest],
      );
      assert.equal(await f.usdc.read.balanceOf([customer]), USDC_MINTED);
      assert.equal(await f.escrow.read.bookingNonceUsed([customer, intent.nonce]), false);
    });
  });

  describe("a blacklisted customer", () => {
    it("books nothing by authorization and loses nothing; the same authorization books once unblacklisted", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      const customer = getAddress(f.customer.account.address);
      await f.usdc.write.blacklist([customer], { account: f.owner.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "AccountBlacklisted",
        [customer],
      );
      await expectFundsWithCustomer(f, digest);
      assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n);
      assert.equal(await f.escrow.read.bookingNonceUsed([customer, intent.nonce]), false);
      await f.usdc.write.unBlacklist([customer], { account: f.owner.account });
      assert.equal(bookedIn(f, await mined(f, submit(f, intent, authorization))).customer, customer);
    });

    it("books nothing by permit: the permit cannot set an allowance, and an old allowance cannot be spent", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const slot = await slotInDays(f.grid, 3);
      const customer = getAddress(f.customer.account.address);
      const intent = await makeIntent(customer, f.usdcOffering, slot, SEATS);
      const signature = await signBookingIntent(f.customer, intent, f.escrow.address);
      const permit = await signPermit(f.customer, f.usdc, f.escrow.address, AMOUNT, BigInt(intent.deadline));
      await f.usdc.write.blacklist([customer], { account: f.owner.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithSignature([intent, signature, permit, noCoupon, "0x"], { account: f.stranger.account }),
        f.escrow,
        "InsufficientAllowance",
        [getAddress(f.usdc.address), 0n, AMOUNT],
      );
      await f.usdc.write.unBlacklist([customer], { account: f.owner.account });
      await f.usdc.write.approve([f.escrow.address, AMOUNT], { account: f.customer.account });
      await f.usdc.write.blacklist([customer], { account: f.owner.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithSignature([intent, signature, NO_PERMIT, noCoupon, "0x"], {
          account: f.stranger.account,
        }),
        f.usdc,
        "AccountBlacklisted",
        [customer],
      );
      assert.equal(await f.usdc.read.balanceOf([customer]), USDC_MINTED);
      assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n);
    });

    it("does not stop a blacklisted relayer from submitting: the relayer never touches the token", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, authorization } = await authorized(f);
      await f.usdc.write.blacklist([f.stranger.account.address], { account: f.owner.account });
      const booked = bookedIn(f, await mined(f, submit(f, intent, authorization, f.stranger)));
      assert.equal(booked.customer, getAddress(f.customer.account.address));
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
    });
  });

  describe("a token that pays short or re-enters", () => {
    it("reverts with TokenAmountMismatch when receiveWithAuthorization delivers less, for an EOA and a contract wallet", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const token = await viem.deployContract("ShortPayingAuthorizationToken");
      const wallet = await deploySmartWallet(f.customer2);
      await createTokenOffering(f, token.address, { depositPerSeat: USDC_DEPOSIT, seatsPerSlot: 10 }); // 4
      const slot = await slotInDays(f.grid, 3);
      // An account without code pays through the (v, r, s) form, a contract wallet through the bytes form.
      for (const [customer, signer] of [
        [f.customer.account.address, f.customer],
        [wallet.address, f.customer2],
      ] as const) {
        await token.write.mint([customer, USDC_MINTED]);
        const intent = await makeIntent(customer, 4, slot, SEATS);
        // The mock checks no signature; any signature reaches it.
        const authorization = await signBookingIntent(signer, intent, f.escrow.address);
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, authorization),
          f.escrow,
          "TokenAmountMismatch",
          [getAddress(token.address), AMOUNT, AMOUNT - AMOUNT / 100n],
        );
        assert.equal(await token.read.balanceOf([customer]), USDC_MINTED);
        assert.equal(await f.escrow.read.bookingNonceUsed([customer, intent.nonce]), false);
      }
      assert.equal(await f.escrow.read.seatsLeft([4, slot]), 10n);
      // Like USDC, it takes a receive authorization only from its payee.
      await viem.assertions.revertWithCustomErrorWithArgs(
        token.write.receiveWithAuthorization(
          [f.customer.account.address, f.escrow.address, AMOUNT, 0n, 1n, zeroHash, "0x"],
          { account: f.stranger.account },
        ),
        token,
        "CallerMustBePayee",
        [getAddress(f.stranger.account.address), getAddress(f.escrow.address)],
      );
    });

    it("reverts with TokenAmountMismatch when a signed booking's allowance pays in a fee-on-transfer token", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const token = await viem.deployContract("FeeOnTransferToken");
      await token.write.mint([f.customer.account.address, USDC_MINTED]);
      await token.write.approve([f.escrow.address, AMOUNT], { account: f.customer.account });
      await createTokenOffering(f, token.address, { depositPerSeat: USDC_DEPOSIT, seatsPerSlot: 10 }); // 4
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(f.customer.account.address, 4, slot, SEATS);
      const signature = await signBookingIntent(f.customer, intent, f.escrow.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithSignature([intent, signature, NO_PERMIT, noCoupon, "0x"], {
          account: f.stranger.account,
        }),
        f.escrow,
        "TokenAmountMismatch",
        [getAddress(token.address), AMOUNT, AMOUNT - AMOUNT / 100n],
      );
      assert.equal(await f.escrow.read.seatsLeft([4, slot]), 10n);
    });

    it("a token re-entering the escrow from receiveWithAuthorization meets the guard; the booking is made once", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const token = await viem.deployContract("ReenteringAuthorizationToken");
      await token.write.mint([f.customer.account.address, USDC_MINTED]);
      await createTokenOffering(f, token.address, { depositPerSeat: USDC_DEPOSIT, seatsPerSlot: 10 }); // 4
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(f.customer.account.address, 4, slot, SEATS);
      const authorization = await signBookingIntent(f.customer, intent, f.escrow.address);
      const first = { ...intent, nonce: keccak256(toHex("first")) };
      const second = { ...intent, nonce: keccak256(toHex("second")) };
      const third = { ...intent, nonce: keccak256(toHex("third")) };
      // While booking `first` the token re-submits `first` (a replay); while booking `second`, another booking.
      for (const [outer, reentry] of [
        [first, first],
        [second, third],
      ]) {
        await token.write.setReentry([
          encodeFunctionData({
            abi: f.escrow.abi,
            functionName: "bookWithAuthorization",
            args: [reentry, authorization, noCoupon, "0x"],
          }),
        ]);
        const receipt = await mined(f, submit(f, outer, authorization));
        assert.equal(bookedIn(f, receipt).customer, getAddress(intent.customer));
        assert.equal(await token.read.reentrySucceeded(), false);
        assert.equal(await token.read.reentryResult(), toFunctionSelector("ReentrancyGuardReentrantCall()"));
      }
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, third.nonce]), false);
      assert.equal(await f.escrow.read.seatsLeft([4, slot]), 10n - 2n * BigInt(SEATS));
      assert.equal(await token.read.balanceOf([f.escrow.address]), 2n * AMOUNT);
    });
  });
});
