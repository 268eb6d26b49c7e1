// bookWithSignature: a booking the customer signs (an EIP-712 BookingIntent in the escrow's domain, ERC-1271 for a
// contract wallet) and anyone submits, paid from the customer's allowance after an optional EIP-2612 permit. The
// booking is the customer's, books once, only before its deadline and only exactly what was signed; the submitter
// pays the gas and nothing else. Every ordinary booking check applies with the intent's customer as its subject.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, toHex, zeroHash, type Hash, type Hex } from "viem";
import { encodeBookingId, noCoupon, type BookingIntent, type Coupon, type PermitArgs } from "@earnest/sdk";
import { atTime, gasCost, mined } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  createTokenOffering,
  deployEarnestEscrow,
  deploySmartWallet,
  deployWithUsdc,
  FEE_BPS,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  USD_DEPOSIT,
  USDC_DEPOSIT,
  USDC_MINTED,
  viem,
  type Wallet,
} from "../support/fixture.js";
import {
  bookingIntentDigest,
  makeCoupon,
  makeIntent,
  NO_PERMIT,
  signBookingAuthorization,
  signBookingIntent,
  signCoupon,
  signPermit,
  signPermitFor,
} from "../support/signing.js";

type World = Awaited<ReturnType<typeof deployWithUsdc>>;

const SEATS = 2;
/** What SEATS seats of the USDC offering cost. */
const AMOUNT = BigInt(SEATS) * USDC_DEPOSIT;
/** The intent's type as the SPEC lists its fields, restated so that a wrong type hash in the contract shows. */
const BOOKING_INTENT_TYPE =
  "BookingIntent(address customer,uint32 offeringId,uint40 slotStart,uint16 seats,bytes32 detailsHash," +
  "bytes32 couponDigest,bytes32 nonce,uint40 deadline)";

/** `relayer` (the stranger unless told) submits the customer's signed booking. */
function submit(
  f: World,
  intent: BookingIntent,
  signature: Hex,
  permit: PermitArgs = NO_PERMIT,
  coupon: Coupon = noCoupon,
  couponSignature: Hex = "0x",
  relayer: Wallet = f.stranger,
): Promise<Hash> {
  return f.escrow.write.bookWithSignature([intent, signature, permit, coupon, couponSignature], {
    account: relayer.account,
  });
}

/** `customer`'s intent for SEATS seats of the USDC offering three days ahead (with `overrides`), signed by it, and its
 *  permit for `amount` valid until the intent's deadline. */
async function signedIntent(
  f: World,
  overrides: Partial<BookingIntent> = {},
  customer: Wallet = f.customer,
  amount = AMOUNT,
) {
  const slot = await slotInDays(f.grid, 3);
  const intent = await makeIntent(customer.account.address, f.usdcOffering, slot, SEATS, overrides);
  const signature = await signBookingIntent(customer, intent, f.escrow.address);
  const permit = await signPermit(customer, f.usdc, f.escrow.address, amount, BigInt(intent.deadline));
  return { slot, intent, signature, permit };
}

/** Asserts that `hash` booked `intent` as the slot's `n`th booking for its customer at `amount`, and used its nonce. */
async function expectBooked(f: World, hash: Hash, intent: BookingIntent, amount: bigint, n = 1): Promise<bigint> {
  const id = encodeBookingId({ offeringId: intent.offeringId, slotStart: intent.slotStart, n });
  await viem.assertions.emitWithArgs(hash, f.escrow, "Booked", [
    id,
    intent.offeringId,
    getAddress(intent.customer),
    intent.slotStart,
    intent.seats,
    amount,
    FEE_BPS,
    intent.detailsHash,
  ]);
  const view = await f.escrow.read.getBooking([id]);
  assert.equal(view.customer, getAddress(intent.customer));
  assert.equal(view.status, Status.Booked);
  assert.equal(view.amount, amount);
  assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), true);
  return id;
}

/** Asserts that no booking of the USDC offering's `slot` was recorded and no USDC moved from the fixture's customer. */
async function expectNothingBooked(f: World, slot: number): Promise<void> {
  assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n);
  assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), 0n);
  assert.equal(await f.usdc.read.balanceOf([f.customer.account.address]), USDC_MINTED);
}

describe("bookWithSignature", () => {
  describe("succeeds", () => {
    it("succeeds with a USDC permit for a customer without ETH, submitted and paid for by a relayer", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const customer = f.customer.account.address;
      const relayer = f.stranger.account.address;
      await networkHelpers.setBalance(customer, 0n);
      const { intent, signature, permit } = await signedIntent(f);
      assert.equal(await f.escrow.read.bookingNonceUsed([customer, intent.nonce]), false);
      const relayerEth = await f.publicClient.getBalance({ address: relayer });

      const hash = await submit(f, intent, signature, permit);
      const receipt = await mined(f, hash);
      await viem.assertions.emitWithArgs(hash, f.usdc, "Approval", [
        getAddress(customer),
        getAddress(f.escrow.address),
        AMOUNT,
      ]);
      await expectBooked(f, hash, intent, AMOUNT);
      assert.equal(await f.usdc.read.nonces([customer]), 1n);
      assert.equal(await f.usdc.read.allowance([customer, f.escrow.address]), 0n);
      assert.equal(await f.usdc.read.balanceOf([customer]), USDC_MINTED - AMOUNT);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
      // The customer spent no ETH; the relayer spent the gas and nothing else.
      assert.equal(await f.publicClient.getBalance({ address: customer }), 0n);
      assert.equal(await f.publicClient.getBalance({ address: relayer }), relayerEth - gasCost(receipt));
      assert.equal(await f.usdc.read.balanceOf([relayer]), 0n);
    });

    it("succeeds with a permit of a token that has eip712Domain (OpenZeppelin's ERC20Permit)", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(f.customer.account.address, 2, slot, 1);
      const signature = await signBookingIntent(f.customer, intent, f.escrow.address);
      const permit = await signPermit(f.customer, f.stablecoin, f.escrow.address, USD_DEPOSIT, BigInt(intent.deadline));
      await expectBooked(f, await submit(f, intent, signature, permit), intent, USD_DEPOSIT);
      assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), USD_DEPOSIT);
    });

    it("succeeds on an allowance the customer gave before, with no permit (deadline 0)", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, signature } = await signedIntent(f);
      await f.usdc.write.approve([f.escrow.address, 3n * AMOUNT], { account: f.customer.account });
      await expectBooked(f, await submit(f, intent, signature, NO_PERMIT), intent, AMOUNT);
      assert.equal(await f.usdc.read.nonces([f.customer.account.address]), 0n, "no permit was applied");
      assert.equal(await f.usdc.read.allowance([f.customer.account.address, f.escrow.address]), 2n * AMOUNT);
    });

    it("succeeds when someone applied the customer's permit to the token first", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, signature, permit } = await signedIntent(f);
      const customer = f.customer.account.address;
      await f.usdc.write.permit(
        [customer, f.escrow.address, permit.value, permit.deadline, permit.v, permit.r, permit.s],
        {
          account: f.customer2.account,
        },
      );
      await expectBooked(f, await submit(f, intent, signature, permit), intent, AMOUNT);
      assert.equal(await f.usdc.read.nonces([customer]), 1n);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
    });

    it("succeeds with the coupon the intent names, bound to the customer, at the discounted amount", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const discount = 5_000_000n;
      const coupon = await makeCoupon(f.usdcOffering, discount, { customer: f.customer.account.address });
      const couponSignature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      const { intent, signature, permit } = await signedIntent(
        f,
        { couponDigest: digest },
        f.customer,
        AMOUNT - discount,
      );

      const hash = await submit(f, intent, signature, permit, coupon, couponSignature);
      const id = await expectBooked(f, hash, intent, AMOUNT - discount);
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [digest, id, discount, 1n]);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT - discount);
    });

    it("succeeds for a contract-wallet customer: the intent and the permit checked by ERC-1271", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const wallet = await deploySmartWallet(f.customer2);
      await networkHelpers.setBalance(wallet.address, 0n);
      await f.usdc.write.mint([wallet.address, AMOUNT]);
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(wallet.address, f.usdcOffering, slot, SEATS);
      // The wallet's owner key signs for the wallet, both the intent and the USDC permit.
      const signature = await signBookingIntent(f.customer2, intent, f.escrow.address);
      const permit = await signPermitFor(
        f.customer2,
        wallet.address,
        f.usdc,
        f.escrow.address,
        AMOUNT,
        BigInt(intent.deadline),
      );
      await expectBooked(f, await submit(f, intent, signature, permit), intent, AMOUNT);
      assert.equal(await f.usdc.read.balanceOf([wallet.address]), 0n);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
    });

    it("succeeds one second before the deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, signature, permit } = await signedIntent(f);
      await atTime(intent.deadline - 1);
      await expectBooked(f, await submit(f, intent, signature, permit), intent, AMOUNT);
    });

    it("succeeds with the same nonce for another customer: nonces are each customer's own", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const first = await signedIntent(f);
      await mined(f, submit(f, first.intent, first.signature, first.permit));
      const second = await signedIntent(f, { nonce: first.intent.nonce }, f.customer2);
      await expectBooked(f, await submit(f, second.intent, second.signature, second.permit), second.intent, AMOUNT, 2);
    });

    it("succeeds when the arbiter of the offering submits a customer's intent: the submitter is no party", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      await createTokenOffering(f, f.usdc.address, {
        depositPerSeat: USDC_DEPOSIT,
        arbiter: f.arbiter.account.address,
        arbiterTimeout: ARBITER_TIMEOUT,
      });
      const { intent, signature, permit } = await signedIntent(f, { offeringId: 4 });
      await expectBooked(f, await submit(f, intent, signature, permit, noCoupon, "0x", f.arbiter), intent, AMOUNT);
    });

    it("books for the intent's customer, not the submitter: only the customer cancels, and gets the refund", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, signature, permit } = await signedIntent(f);
      const id = await expectBooked(f, await submit(f, intent, signature, permit), intent, AMOUNT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([id], { account: f.stranger.account }),
        f.escrow,
        "NotCustomer",
        [id, getAddress(f.stranger.account.address)],
      );
      // Three days ahead: the 48 h tier refunds everything, to the customer.
      await mined(f, f.escrow.write.cancel([id], { account: f.customer.account }));
      assert.equal(await f.usdc.read.balanceOf([f.customer.account.address]), USDC_MINTED);
      assert.equal(await f.usdc.read.balanceOf([f.stranger.account.address]), 0n);
      assert.equal((await f.escrow.read.getBooking([id])).status, Status.CustomerCancelled);
    });

    it("hashBookingIntent is the EIP-712 digest of the intent in the escrow's domain, as the sdk computes it", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent } = await signedIntent(f);
      assert.equal(await f.escrow.read.BOOKING_INTENT_TYPEHASH(), keccak256(toHex(BOOKING_INTENT_TYPE)));
      assert.equal(
        await f.escrow.read.hashBookingIntent([intent]),
        await bookingIntentDigest(intent, f.escrow.address),
      );
    });
  });

  describe("reverts", () => {
    it("reverts with BookingNonceUsed when the same signed booking is submitted again", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, signature, permit } = await signedIntent(f);
      await f.usdc.write.approve([f.escrow.address, 10n * AMOUNT], { account: f.customer.account });
      await mined(f, submit(f, intent, signature, permit));
      for (const again of [permit, NO_PERMIT]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, signature, again),
          f.escrow,
          "BookingNonceUsed",
          [getAddress(intent.customer), intent.nonce],
        );
      }
      assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n - BigInt(SEATS));
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
    });

    it("reverts with BookingNonceUsed for another intent of the customer's with a nonce used before", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const first = await signedIntent(f);
      await f.usdc.write.approve([f.escrow.address, 10n * AMOUNT], { account: f.customer.account });
      await mined(f, submit(f, first.intent, first.signature));
      const other = await signedIntent(f, { slotStart: first.slot + SLOT_LENGTH, nonce: first.intent.nonce });
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, other.intent, other.signature),
        f.escrow,
        "BookingNonceUsed",
        [getAddress(f.customer.account.address), first.intent.nonce],
      );
    });

    it("reverts with BookingNonceUsed when an intent booked by permit is then submitted by authorization", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, signature, permit } = await signedIntent(f);
      await mined(f, submit(f, intent, signature, permit));
      const authorization = await signBookingAuthorization(
        f.customer,
        f.usdc.address,
        intent,
        f.escrow.address,
        AMOUNT,
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithAuthorization([intent, authorization, noCoupon, "0x"], { account: f.stranger.account }),
        f.escrow,
        "BookingNonceUsed",
        [getAddress(intent.customer), intent.nonce],
      );
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
    });

    it("reverts with BookingIntentExpired at exactly the deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, signature, permit } = await signedIntent(f);
      await atTime(intent.deadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, signature, permit),
        f.escrow,
        "BookingIntentExpired",
        [intent.deadline, BigInt(intent.deadline)],
      );
      await expectNothingBooked(f, slot);
    });

    it("reverts with InvalidBookingSignature when the intent was signed for another chain", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, permit } = await signedIntent(f);
      const otherChain = await signBookingIntent(f.customer, intent, f.escrow.address, 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, otherChain, permit),
        f.escrow,
        "InvalidBookingSignature",
        [await bookingIntentDigest(intent, f.escrow.address), getAddress(intent.customer)],
      );
      await expectNothingBooked(f, slot);
    });

    it("reverts with InvalidBookingSignature when the intent was signed for another escrow", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, permit } = await signedIntent(f);
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      const otherEscrow = await signBookingIntent(f.customer, intent, other.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, otherEscrow, permit),
        f.escrow,
        "InvalidBookingSignature",
        [await bookingIntentDigest(intent, f.escrow.address), getAddress(intent.customer)],
      );
      await expectNothingBooked(f, slot);
    });

    const changes: Array<[string, (intent: BookingIntent) => Partial<BookingIntent>]> = [
      ["seats", () => ({ seats: SEATS + 1 })],
      ["slot", (intent) => ({ slotStart: intent.slotStart + SLOT_LENGTH })],
      ["offering", () => ({ offeringId: 2 })],
      ["detailsHash", () => ({ detailsHash: keccak256(toHex("someone else's details")) })],
      ["deadline", (intent) => ({ deadline: intent.deadline + 3600 })],
      ["couponDigest", () => ({ couponDigest: keccak256(toHex("a coupon")) })],
      ["nonce", () => ({ nonce: keccak256(toHex("another nonce")) })],
      ["customer", () => ({ customer: "0x000000000000000000000000000000000000c0de" })],
    ];
    for (const [field, change] of changes) {
      it(`reverts with InvalidBookingSignature when the submitted intent's ${field} differs from the signed one`, async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const { slot, intent, signature, permit } = await signedIntent(f);
        const changed = { ...intent, ...change(intent) };
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, changed, signature, permit),
          f.escrow,
          "InvalidBookingSignature",
          [await bookingIntentDigest(changed, f.escrow.address), getAddress(changed.customer)],
        );
        await expectNothingBooked(f, slot);
        // The intent as signed still books.
        await expectBooked(f, await submit(f, intent, signature, permit), intent, AMOUNT);
      });
    }

    it("reverts with InvalidBookingSignature when someone else signed the customer's intent", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, permit } = await signedIntent(f);
      for (const signer of [f.customer2, f.stranger, f.merchant]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, await signBookingIntent(signer, intent, f.escrow.address), permit),
          f.escrow,
          "InvalidBookingSignature",
          [await bookingIntentDigest(intent, f.escrow.address), getAddress(intent.customer)],
        );
      }
      await expectNothingBooked(f, slot);
    });

    it("reverts with InvalidBookingSignature when a contract wallet's intent is signed by a key not its owner", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const wallet = await deploySmartWallet(f.customer2);
      await f.usdc.write.mint([wallet.address, AMOUNT]);
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(wallet.address, f.usdcOffering, slot, SEATS);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, await signBookingIntent(f.customer, intent, f.escrow.address)),
        f.escrow,
        "InvalidBookingSignature",
        [await bookingIntentDigest(intent, f.escrow.address), getAddress(wallet.address)],
      );
    });

    it("reverts with InsufficientAllowance when the permit is for less than the booking's amount", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, signature, permit } = await signedIntent(f, {}, f.customer, AMOUNT - 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, signature, permit),
        f.escrow,
        "InsufficientAllowance",
        [getAddress(f.usdc.address), AMOUNT - 1n, AMOUNT],
      );
      await expectNothingBooked(f, slot);
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), false);
    });

    it("reverts with InsufficientAllowance with no permit and no allowance", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, signature } = await signedIntent(f);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, signature, NO_PERMIT),
        f.escrow,
        "InsufficientAllowance",
        [getAddress(f.usdc.address), 0n, AMOUNT],
      );
      await expectNothingBooked(f, slot);
    });

    it("reverts with InsufficientAllowance when the permit is someone else's", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, signature } = await signedIntent(f);
      // The submitter's own permit: the escrow applies a permit for the customer only, and this one is not.
      const permit = await signPermit(f.customer2, f.usdc, f.escrow.address, AMOUNT, BigInt(intent.deadline));
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, signature, permit, noCoupon, "0x", f.customer2),
        f.escrow,
        "InsufficientAllowance",
        [getAddress(f.usdc.address), 0n, AMOUNT],
      );
      await expectNothingBooked(f, slot);
      assert.equal(await f.usdc.read.allowance([f.customer2.account.address, f.escrow.address]), 0n);
    });

    describe("coupons", () => {
      async function merchantCoupon(f: World, salt: string) {
        const coupon = await makeCoupon(f.usdcOffering, 5_000_000n, { salt: keccak256(toHex(salt)) });
        return {
          coupon,
          couponSignature: await signCoupon(f.merchant, coupon, f.escrow.address),
          digest: await f.escrow.read.hashCoupon([coupon]),
        };
      }

      it("reverts with CouponNotSigned when a coupon is added to an intent that names none", async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const { slot, intent, signature, permit } = await signedIntent(f);
        const { coupon, couponSignature, digest } = await merchantCoupon(f, "added");
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, signature, permit, coupon, couponSignature),
          f.escrow,
          "CouponNotSigned",
          [zeroHash, digest],
        );
        await expectNothingBooked(f, slot);
        assert.equal(await f.escrow.read.couponRedemptions([digest]), 0n);
      });

      it("reverts with CouponNotSigned when the coupon the intent names is left out", async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const { coupon, digest } = await merchantCoupon(f, "named");
        const { slot, intent, signature, permit } = await signedIntent(f, { couponDigest: digest });
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, signature, permit, coupon, "0x"),
          f.escrow,
          "CouponNotSigned",
          [digest, zeroHash],
        );
        await expectNothingBooked(f, slot);
      });

      it("reverts with CouponNotSigned when another coupon than the one named is submitted", async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const named = await merchantCoupon(f, "named");
        const other = await merchantCoupon(f, "other");
        const { slot, intent, signature, permit } = await signedIntent(f, { couponDigest: named.digest });
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, signature, permit, other.coupon, other.couponSignature),
          f.escrow,
          "CouponNotSigned",
          [named.digest, other.digest],
        );
        await expectNothingBooked(f, slot);
      });

      it("reverts with CouponWrongCustomer for a coupon bound to the submitter rather than the customer", async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const coupon = await makeCoupon(f.usdcOffering, 5_000_000n, { customer: f.stranger.account.address });
        const couponSignature = await signCoupon(f.merchant, coupon, f.escrow.address);
        const digest = await f.escrow.read.hashCoupon([coupon]);
        const { intent, signature, permit } = await signedIntent(f, { couponDigest: digest });
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, signature, permit, coupon, couponSignature),
          f.escrow,
          "CouponWrongCustomer",
          [digest, getAddress(f.stranger.account.address), getAddress(f.customer.account.address)],
        );
      });
    });

    it("reverts with PermitForNativeToken for an offering paid in ETH", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, signature, permit } = await signedIntent(f);
      const intent = await makeIntent(f.customer.account.address, f.ethOffering, slot, 1);
      const ethSignature = await signBookingIntent(f.customer, intent, f.escrow.address);
      assert.notEqual(ethSignature, signature);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, ethSignature, permit),
        f.escrow,
        "PermitForNativeToken",
        [f.ethOffering],
      );
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    });

    it("reverts with ArbiterCannotBook when the intent's customer is the offering's arbiter, whoever submits", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      await createTokenOffering(f, f.usdc.address, {
        depositPerSeat: USDC_DEPOSIT,
        arbiter: f.arbiter.account.address,
        arbiterTimeout: ARBITER_TIMEOUT,
      });
      await f.usdc.write.mint([f.arbiter.account.address, AMOUNT]);
      const { intent, signature, permit } = await signedIntent(f, { offeringId: 4 }, f.arbiter);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, signature, permit),
        f.escrow,
        "ArbiterCannotBook",
        [4, getAddress(f.arbiter.account.address)],
      );
    });

    it("reverts with SlotFull when the intent asks for more seats than are left", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(f.customer.account.address, f.usdcOffering, slot, 11);
      const signature = await signBookingIntent(f.customer, intent, f.escrow.address);
      await f.usdc.write.approve([f.escrow.address, 11n * USDC_DEPOSIT], { account: f.customer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(submit(f, intent, signature), f.escrow, "SlotFull", [
        f.usdcOffering,
        slot,
        10n,
        11,
      ]);
      // A refused booking leaves its nonce unused.
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), false);
      await expectNothingBooked(f, slot);
    });

    it("reverts with BookingsPaused while bookings are paused", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, signature, permit } = await signedIntent(f);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await viem.assertions.revertWithCustomError(submit(f, intent, signature, permit), f.escrow, "BookingsPaused");
      assert.equal(await f.usdc.read.nonces([f.customer.account.address]), 0n);
      await expectNothingBooked(f, slot);
      await f.escrow.write.setPaused([false], { account: f.owner.account });
      await expectBooked(f, await submit(f, intent, signature, permit), intent, AMOUNT);
    });
  });
});
