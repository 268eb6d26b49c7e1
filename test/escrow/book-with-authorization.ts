// bookWithAuthorization: a booking paid by the token's ERC-3009 receiveWithAuthorization, the customer's one
// signature (from the customer to the escrow, the booking's amount, valid until the intent's deadline, nonced by the
// intent's digest), submitted by anyone. The token's signature check is the booking's: any change to the intent, the
// amount, the chain, the escrow or the token makes it fail. 65 bytes (v, r, s) for an account without code, the
// bytes form for a contract wallet (ERC-1271).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  concat,
  getAddress,
  keccak256,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  toHex,
  zeroHash,
  type Address,
  type Hash,
  type Hex,
} from "viem";
import { encodeBookingId, noCoupon, type BookingIntent, type Coupon } from "@earnest/sdk";
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
  USDC_DEPOSIT,
  USDC_MINTED,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { createSafe, deploySafeContracts, safeSignature } from "../support/safe.js";
import {
  bookingAuthorizationDigest,
  bookingIntentDigest,
  makeCoupon,
  makeIntent,
  signBookingAuthorization,
  signBookingIntent,
  signCancelAuthorization,
  signCoupon,
  type AuthorizationDomain,
} from "../support/signing.js";

type World = Awaited<ReturnType<typeof deployWithUsdc>>;

const SEATS = 2;
/** What SEATS seats of the USDC offering cost. */
const AMOUNT = BigInt(SEATS) * USDC_DEPOSIT;

/** `relayer` (the stranger unless told) submits the customer's authorized booking. */
function submit(
  f: World,
  intent: BookingIntent,
  authorization: Hex,
  coupon: Coupon = noCoupon,
  couponSignature: Hex = "0x",
  relayer: Wallet = f.stranger,
): Promise<Hash> {
  return f.escrow.write.bookWithAuthorization([intent, authorization, coupon, couponSignature], {
    account: relayer.account,
  });
}

/** Whose authorization `authorized` makes, and for what. */
type AuthorizedOptions = { customer?: Address; signer?: Wallet; amount?: bigint; where?: AuthorizationDomain };

/** `customer`'s (the fixture customer's unless told) intent for SEATS seats of the USDC offering three days ahead
 *  (with `overrides`) and `signer`'s (the customer's unless told) authorization of `amount` (the booking's unless
 *  told) for it, signed where `where` says. */
async function authorized(
  f: World,
  overrides: Partial<BookingIntent> = {},
  { customer, signer = f.customer, amount = AMOUNT, where = {} }: AuthorizedOptions = {},
) {
  const slot = await slotInDays(f.grid, 3);
  const intent = await makeIntent(customer ?? f.customer.account.address, f.usdcOffering, slot, SEATS, overrides);
  const authorization = await signBookingAuthorization(signer, f.usdc.address, intent, f.escrow.address, amount, where);
  const digest = await bookingIntentDigest(intent, f.escrow.address);
  return { slot, intent, authorization, digest };
}

/** Asserts that `hash` booked `intent` as the slot's `n`th booking for its customer at `amount`, paid by the
 *  authorization nonced `digest`. */
async function expectBooked(f: World, hash: Hash, intent: BookingIntent, amount: bigint, digest: Hex, n = 1) {
  const id = encodeBookingId({ offeringId: intent.offeringId, slotStart: intent.slotStart, n });
  const customer = getAddress(intent.customer);
  await viem.assertions.emitWithArgs(hash, f.escrow, "Booked", [
    id,
    intent.offeringId,
    customer,
    intent.slotStart,
    intent.seats,
    amount,
    FEE_BPS,
    intent.detailsHash,
  ]);
  await viem.assertions.emitWithArgs(hash, f.usdc, "AuthorizationUsed", [customer, digest]);
  await viem.assertions.emitWithArgs(hash, f.usdc, "Transfer", [customer, getAddress(f.escrow.address), amount]);
  const view = await f.escrow.read.getBooking([id]);
  assert.equal(view.customer, customer);
  assert.equal(view.status, Status.Booked);
  assert.equal(view.amount, amount);
  assert.equal(await f.escrow.read.bookingNonceUsed([customer, intent.nonce]), true);
  assert.equal(await f.usdc.read.authorizationState([customer, digest]), true);
  return id;
}

/** Asserts that the authorization nonced `digest` is unused, no booking of `slot` was recorded and no USDC moved. */
async function expectNothingBooked(f: World, slot: number, digest: Hex): Promise<void> {
  assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n);
  assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), 0n);
  assert.equal(await f.usdc.read.balanceOf([f.customer.account.address]), USDC_MINTED);
  assert.equal(await f.usdc.read.authorizationState([f.customer.account.address, digest]), false);
}

describe("bookWithAuthorization", () => {
  describe("succeeds", () => {
    it("succeeds with one signature from a customer without ETH, submitted and paid for by a relayer", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const customer = f.customer.account.address;
      const relayer = f.stranger.account.address;
      await networkHelpers.setBalance(customer, 0n);
      const { intent, authorization, digest } = await authorized(f);
      assert.equal(await f.usdc.read.authorizationState([customer, digest]), false);
      const relayerEth = await f.publicClient.getBalance({ address: relayer });

      const hash = await submit(f, intent, authorization);
      const receipt = await mined(f, hash);
      await expectBooked(f, hash, intent, AMOUNT, digest);
      assert.equal(await f.usdc.read.balanceOf([customer]), USDC_MINTED - AMOUNT);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
      assert.equal(await f.usdc.read.allowance([customer, f.escrow.address]), 0n, "no allowance involved");
      assert.equal(await f.publicClient.getBalance({ address: customer }), 0n);
      assert.equal(await f.publicClient.getBalance({ address: relayer }), relayerEth - gasCost(receipt));
      assert.equal(await f.usdc.read.balanceOf([relayer]), 0n);
    });

    it("succeeds with the coupon the intent names, the authorization for the discounted amount", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const discount = 7_000_000n;
      const coupon = await makeCoupon(f.usdcOffering, discount, { customer: f.customer.account.address });
      const couponSignature = await signCoupon(f.merchant, coupon, f.escrow.address);
      const couponDigest = await f.escrow.read.hashCoupon([coupon]);
      const { intent, authorization, digest } = await authorized(f, { couponDigest }, { amount: AMOUNT - discount });
      const hash = await submit(f, intent, authorization, coupon, couponSignature);
      const id = await expectBooked(f, hash, intent, AMOUNT - discount, digest);
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [couponDigest, id, discount, 1n]);
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT - discount);
    });

    it("succeeds for a contract-wallet customer, the token checking its signature by ERC-1271", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const wallet = await deploySmartWallet(f.customer2);
      await networkHelpers.setBalance(wallet.address, 0n);
      await f.usdc.write.mint([wallet.address, AMOUNT]);
      // The wallet's owner key signs for the wallet.
      const { intent, authorization, digest } = await authorized(
        f,
        {},
        { customer: wallet.address, signer: f.customer2 },
      );
      await expectBooked(f, await submit(f, intent, authorization), intent, AMOUNT, digest);
      assert.equal(await f.usdc.read.balanceOf([wallet.address]), 0n);
    });

    it("succeeds for a 2-of-3 Safe customer, whose 130-byte signature goes to the token as bytes", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const safe = await createSafe(await deploySafeContracts(f.owner), [f.customer2, f.feeRecipient, f.payout], 2);
      await f.usdc.write.mint([safe.address, AMOUNT]);
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(safe.address, f.usdcOffering, slot, SEATS);
      const signature = await safeSignature(
        safe,
        await bookingAuthorizationDigest(f.usdc.address, intent, f.escrow.address, AMOUNT),
      );
      assert.equal((signature.length - 2) / 2, 130);
      const digest = await bookingIntentDigest(intent, f.escrow.address);
      await expectBooked(f, await submit(f, intent, signature), intent, AMOUNT, digest);
      assert.equal(await f.usdc.read.balanceOf([safe.address]), 0n);
    });

    it("succeeds one second before the deadline (the authorization's validBefore)", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, authorization, digest } = await authorized(f);
      await atTime(intent.deadline - 1);
      await expectBooked(f, await submit(f, intent, authorization), intent, AMOUNT, digest);
    });

    it("books for the intent's customer, not the submitter: only the customer cancels, and gets the refund", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, authorization, digest } = await authorized(f);
      const id = await expectBooked(f, await submit(f, intent, authorization), intent, AMOUNT, digest);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.cancel([id], { account: f.stranger.account }),
        f.escrow,
        "NotCustomer",
        [id, getAddress(f.stranger.account.address)],
      );
      await mined(f, f.escrow.write.cancel([id], { account: f.customer.account }));
      assert.equal(await f.usdc.read.balanceOf([f.customer.account.address]), USDC_MINTED);
      assert.equal(await f.usdc.read.balanceOf([f.stranger.account.address]), 0n);
      assert.equal((await f.escrow.read.getBooking([id])).status, Status.CustomerCancelled);
    });
  });

  describe("reverts", () => {
    it("reverts with BookingNonceUsed when the same authorized booking is submitted again", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization } = await authorized(f);
      await mined(f, submit(f, intent, authorization));
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.escrow,
        "BookingNonceUsed",
        [getAddress(intent.customer), intent.nonce],
      );
      assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n - BigInt(SEATS));
      assert.equal(await f.usdc.read.balanceOf([f.escrow.address]), AMOUNT);
    });

    it("reverts with BookingNonceUsed when an intent booked by authorization is then submitted with a permit", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { intent, authorization } = await authorized(f);
      await mined(f, submit(f, intent, authorization));
      await f.usdc.write.approve([f.escrow.address, AMOUNT], { account: f.customer.account });
      const signature = await signBookingIntent(f.customer, intent, f.escrow.address);
      const noPermit = { value: 0n, deadline: 0n, v: 0, r: zeroHash, s: zeroHash };
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.bookWithSignature([intent, signature, noPermit, noCoupon, "0x"], {
          account: f.stranger.account,
        }),
        f.escrow,
        "BookingNonceUsed",
        [getAddress(intent.customer), intent.nonce],
      );
      assert.equal(await f.usdc.read.allowance([f.customer.account.address, f.escrow.address]), AMOUNT);
    });

    it("reverts with BookingIntentExpired at exactly the deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      await atTime(intent.deadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.escrow,
        "BookingIntentExpired",
        [intent.deadline, BigInt(intent.deadline)],
      );
      await expectNothingBooked(f, slot, digest);
    });

    it("reverts with the token's InvalidSignature when the authorization was signed for another chain", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f, {}, { where: { chainId: 1 } });
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "InvalidSignature",
        [getAddress(intent.customer)],
      );
      await expectNothingBooked(f, slot, digest);
    });

    it("reverts with the token's InvalidSignature when the authorization was signed for another escrow's intent", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      const { slot, intent, authorization, digest } = await authorized(
        f,
        {},
        { where: { digestEscrow: other.address } },
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "InvalidSignature",
        [getAddress(intent.customer)],
      );
      await expectNothingBooked(f, slot, digest);
    });

    it("reverts with the token's InvalidSignature when the authorization was signed in another token's domain", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const otherUsdc = await viem.deployContract("MockUSDC");
      const { slot, intent, authorization, digest } = await authorized(f, {}, { where: { token: otherUsdc.address } });
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "InvalidSignature",
        [getAddress(intent.customer)],
      );
      await expectNothingBooked(f, slot, digest);
    });

    const changes: Array<[string, (intent: BookingIntent) => Partial<BookingIntent>]> = [
      ["seats", () => ({ seats: SEATS - 1 })],
      ["slot", (intent) => ({ slotStart: intent.slotStart + SLOT_LENGTH })],
      ["offering", () => ({ offeringId: 4 })],
      ["detailsHash", () => ({ detailsHash: keccak256(toHex("someone else's details")) })],
      ["nonce", () => ({ nonce: keccak256(toHex("another nonce")) })],
    ];
    for (const [field, change] of changes) {
      it(`reverts with the token's InvalidSignature when the submitted intent's ${field} differs from the authorized one`, async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        // Offering 4: the same terms as the USDC offering, so that only the signature can refuse it.
        await createTokenOffering(f, f.usdc.address, { depositPerSeat: USDC_DEPOSIT, seatsPerSlot: 10 });
        const { slot, intent, authorization, digest } = await authorized(f);
        const changed = { ...intent, ...change(intent) };
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, changed, authorization),
          f.usdc,
          "InvalidSignature",
          [getAddress(intent.customer)],
        );
        await expectNothingBooked(f, slot, digest);
        assert.equal(await f.escrow.read.seatsLeft([4, slot]), 10n);
        await expectBooked(f, await submit(f, intent, authorization), intent, AMOUNT, digest);
      });
    }

    it("reverts with the token's InvalidSignature when the deadline differs: it is the authorization's validBefore", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, { ...intent, deadline: intent.deadline + 1 }, authorization),
        f.usdc,
        "InvalidSignature",
        [getAddress(intent.customer)],
      );
      await expectNothingBooked(f, slot, digest);
    });

    it("reverts with the token's InvalidSignature when someone else signed the customer's authorization", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      for (const signer of [f.customer2, f.stranger, f.merchant]) {
        const { slot, intent, authorization, digest } = await authorized(f, {}, { signer });
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, authorization),
          f.usdc,
          "InvalidSignature",
          [getAddress(intent.customer)],
        );
        await expectNothingBooked(f, slot, digest);
      }
    });

    it("reverts with the token's InvalidSignature when a contract wallet's authorization is signed by a key not its owner", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const wallet = await deploySmartWallet(f.customer2);
      await f.usdc.write.mint([wallet.address, AMOUNT]);
      const { intent, authorization } = await authorized(f, {}, { customer: wallet.address, signer: f.customer });
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "InvalidSignature",
        [getAddress(wallet.address)],
      );
      assert.equal(await f.usdc.read.balanceOf([wallet.address]), AMOUNT);
    });

    for (const [label, amount] of [
      ["less", AMOUNT - 1n],
      ["more", AMOUNT + 1n],
    ] as const) {
      it(`reverts with the token's InvalidSignature when the authorization is for ${label} than the booking's amount`, async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const { slot, intent, authorization, digest } = await authorized(f, {}, { amount });
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, authorization),
          f.usdc,
          "InvalidSignature",
          [getAddress(intent.customer)],
        );
        await expectNothingBooked(f, slot, digest);
      });
    }

    it("reverts with the token's AuthorizationUsedOrCanceled when the customer cancelled the authorization", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      const customer = f.customer.account.address;
      const { r, s, v, yParity } = parseSignature(
        await signCancelAuthorization(f.customer, f.usdc.address, customer, digest),
      );
      await mined(
        f,
        f.usdc.write.cancelAuthorization([customer, digest, Number(v ?? BigInt(yParity + 27)), r, s], {
          account: f.customer2.account,
        }),
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.usdc,
        "AuthorizationUsedOrCanceled",
        [getAddress(customer), digest],
      );
      assert.equal(await f.escrow.read.seatsLeft([f.usdcOffering, slot]), 10n);
      assert.equal(await f.escrow.read.bookingNonceUsed([customer, intent.nonce]), false);
    });

    it("reverts with InvalidBookingSignature for an account without code when the authorization is not 65 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      const compact = serializeCompactSignature(signatureToCompactSignature(parseSignature(authorization)));
      for (const malformed of ["0x", compact, concat([authorization, "0x00"])] as Hex[]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, malformed),
          f.escrow,
          "InvalidBookingSignature",
          [digest, getAddress(intent.customer)],
        );
      }
      await expectNothingBooked(f, slot, digest);
    });

    describe("coupons", () => {
      async function merchantCoupon(f: World, salt: string) {
        const coupon = await makeCoupon(f.usdcOffering, 5_000_000n, { salt: keccak256(toHex(salt)) });
        return {
          coupon,
          couponSignature: await signCoupon(f.merchant, coupon, f.escrow.address),
          couponDigest: await f.escrow.read.hashCoupon([coupon]),
        };
      }

      it("reverts with CouponNotSigned when a coupon is added to an intent that names none", async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const { coupon, couponSignature, couponDigest } = await merchantCoupon(f, "added");
        // Even an authorization for the discounted amount: the customer did not sign for the coupon.
        const { slot, intent, authorization, digest } = await authorized(f, {}, { amount: AMOUNT - coupon.discount });
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, authorization, coupon, couponSignature),
          f.escrow,
          "CouponNotSigned",
          [zeroHash, couponDigest],
        );
        await expectNothingBooked(f, slot, digest);
      });

      it("reverts with CouponNotSigned when the coupon the intent names is left out", async () => {
        const f = await networkHelpers.loadFixture(deployWithUsdc);
        const { coupon, couponDigest } = await merchantCoupon(f, "named");
        const { slot, intent, authorization, digest } = await authorized(
          f,
          { couponDigest },
          {
            amount: AMOUNT - coupon.discount,
          },
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          submit(f, intent, authorization, coupon, "0x"),
          f.escrow,
          "CouponNotSigned",
          [couponDigest, zeroHash],
        );
        await expectNothingBooked(f, slot, digest);
      });
    });

    it("reverts with AuthorizationForNativeToken for an offering paid in ETH", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, authorization } = await authorized(f, {});
      const intent = await makeIntent(f.customer.account.address, f.ethOffering, slot, 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.escrow,
        "AuthorizationForNativeToken",
        [f.ethOffering],
      );
      assert.equal(await f.escrow.read.seatsLeft([f.ethOffering, slot]), 4n);
    });

    it("reverts for a token without ERC-3009, recording nothing", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const slot = await slotInDays(f.grid, 3);
      const intent = await makeIntent(f.customer.account.address, 2, slot, 1);
      const authorization = await signBookingAuthorization(
        f.customer,
        f.stablecoin.address,
        intent,
        f.escrow.address,
        25_000_000n,
      );
      await viem.assertions.revert(submit(f, intent, authorization));
      assert.equal(await f.escrow.read.seatsLeft([2, slot]), 10n);
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), false);
    });

    it("reverts with ArbiterCannotBook when the intent's customer is the offering's arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      await createTokenOffering(f, f.usdc.address, {
        depositPerSeat: USDC_DEPOSIT,
        arbiter: f.arbiter.account.address,
        arbiterTimeout: ARBITER_TIMEOUT,
      });
      await f.usdc.write.mint([f.arbiter.account.address, AMOUNT]);
      const { intent, authorization } = await authorized(
        f,
        { offeringId: 4 },
        { customer: f.arbiter.account.address, signer: f.arbiter },
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(f, intent, authorization),
        f.escrow,
        "ArbiterCannotBook",
        [4, getAddress(f.arbiter.account.address)],
      );
    });

    it("reverts with SlotFull when the intent asks for more seats than are left", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(
        f,
        { seats: 11 },
        { amount: 11n * USDC_DEPOSIT },
      );
      await viem.assertions.revertWithCustomErrorWithArgs(submit(f, intent, authorization), f.escrow, "SlotFull", [
        f.usdcOffering,
        slot,
        10n,
        11,
      ]);
      await expectNothingBooked(f, slot, digest);
      assert.equal(await f.escrow.read.bookingNonceUsed([intent.customer, intent.nonce]), false);
    });

    it("reverts with BookingsPaused while bookings are paused, and the authorization still books afterwards", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const { slot, intent, authorization, digest } = await authorized(f);
      await f.escrow.write.setPaused([true], { account: f.owner.account });
      await viem.assertions.revertWithCustomError(submit(f, intent, authorization), f.escrow, "BookingsPaused");
      await expectNothingBooked(f, slot, digest);
      await f.escrow.write.setPaused([false], { account: f.owner.account });
      await expectBooked(f, await submit(f, intent, authorization), intent, AMOUNT, digest);
    });
  });
});
