// The read-only views, which the escrow's fallback runs in its extension: getBooking, getBookings, refundAt,
// seatsLeft, getOffering; and the EIP-712 digests hashCoupon and hashCheckIn.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  concat,
  encodeAbiParameters,
  getAddress,
  hashTypedData,
  keccak256,
  maxUint256,
  maxUint96,
  toHex,
  zeroAddress,
  zeroHash,
  type Hex,
} from "viem";
import {
  checkInTypes,
  CheckInRule,
  couponDomain,
  couponTypes,
  encodeBookingId,
  escrowDomain,
  MAX_FEE_BPS,
  settlesAt,
  type Coupon,
} from "@earnest/sdk";
import { book, bookedEvent } from "../support/booking.js";
import { atTime } from "../support/chain.js";
import {
  CHECK_IN_OPENS,
  DAY,
  DEFAULT_TIERS,
  deployEarnestEscrow,
  deployWithOfferings,
  ETH_DEPOSIT,
  FEE_BPS,
  HOUR,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  Status,
  terms,
  TIMING,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";
import { makeCoupon, signCheckIn, signCoupon } from "../support/signing.js";

/** What getBooking returns for an id with no booking. */
function noBooking(id: bigint) {
  return {
    bookingId: id,
    offeringId: 0,
    customer: zeroAddress,
    slotStart: 0,
    seats: 0,
    feeBps: 0,
    status: Status.None,
    checkedIn: false,
    amount: 0n,
  };
}

/** The escrow's EIP-712 domain separator, built by hand: name "Earnest", version "2", this chain, this escrow. */
async function domainSeparator(f: Pick<Fixture, "escrow" | "publicClient">): Promise<Hex> {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
      [
        keccak256(toHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
        keccak256(toHex("Earnest")),
        keccak256(toHex("2")),
        BigInt(await f.publicClient.getChainId()),
        f.escrow.address,
      ],
    ),
  );
}

describe("views", () => {
  describe("getBooking", () => {
    it("succeeds with status None and the id echoed for an unknown booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      for (const id of [
        encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }),
        encodeBookingId({ offeringId: 99, slotStart: slot, n: 7 }),
        12_345n,
        0n,
      ]) {
        assert.deepEqual(await f.escrow.read.getBooking([id]), noBooking(id));
      }
    });

    it("succeeds with the full state of a booking", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await book(f, 1, slot, 3, f.customer2);
      assert.deepEqual(await f.escrow.read.getBooking([encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 })]), {
        bookingId: encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }),
        offeringId: 1,
        customer: getAddress(f.customer2.account.address),
        slotStart: slot,
        seats: 3,
        feeBps: FEE_BPS,
        status: Status.Booked,
        checkedIn: false,
        amount: 3n * ETH_DEPOSIT,
      });
      // The next number in the same slot is still unknown.
      assert.equal(
        (await f.escrow.read.getBooking([encodeBookingId({ offeringId: 1, slotStart: slot, n: 2 })])).status,
        Status.None,
      );
    });

    it("succeeds with checkedIn set after the merchant's check-in at the slot's start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const { bookingId: id } = await book(f, 1, slot, 1);
      await atTime(slot);
      await f.escrow.write.checkIn([id], { account: f.merchant.account });
      const view = await f.escrow.read.getBooking([id]);
      assert.equal(view.checkedIn, true);
      assert.equal(view.status, Status.Booked);
    });

    it("succeeds with checkedIn set after a customer-signed check-in before the start", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const { bookingId: id } = await book(f, 1, slot, 1);
      const signature = await signCheckIn(f.customer, id, f.escrow.address);
      await atTime(slot - CHECK_IN_OPENS);
      await f.escrow.write.checkInWithSignature([id, signature], { account: f.merchant.account });
      const view = await f.escrow.read.getBooking([id]);
      assert.equal(view.checkedIn, true);
      assert.equal(view.status, Status.Booked);
    });

    it("succeeds with the settled status and the amount still shown after settlement", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const { bookingId: id } = await book(f, 2, slot, 2);
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      await f.escrow.write.settle([id], { account: f.stranger.account });
      const view = await f.escrow.read.getBooking([id]);
      assert.equal(view.status, Status.NoShow);
      assert.equal(view.amount, 2n * USD_DEPOSIT);
      assert.equal(view.checkedIn, false);
    });
  });

  describe("getBookings", () => {
    it("succeeds with the bookings in the order asked, unknown ids included", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const a = (await book(f, 1, slot, 2)).bookingId;
      const b = (await book(f, 2, slot, 5, f.customer2)).bookingId;
      const unknown = encodeBookingId({ offeringId: 1, slotStart: slot, n: 9 });
      const views = await f.escrow.read.getBookings([[b, unknown, a, b]]);
      assert.equal(views.length, 4);
      assert.deepEqual(
        views.map((v) => v.bookingId),
        [b, unknown, a, b],
      );
      assert.deepEqual(views[0], {
        bookingId: b,
        offeringId: 2,
        customer: getAddress(f.customer2.account.address),
        slotStart: slot,
        seats: 5,
        feeBps: FEE_BPS,
        status: Status.Booked,
        checkedIn: false,
        amount: 5n * USD_DEPOSIT,
      });
      assert.deepEqual(views[1], noBooking(unknown));
      assert.deepEqual(views[2], await f.escrow.read.getBooking([a]));
      assert.equal(views[2].amount, 2n * ETH_DEPOSIT);
      assert.deepEqual(views[3], views[0]);
    });

    it("succeeds with an empty list for no ids", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      assert.deepEqual(await f.escrow.read.getBookings([[]]), []);
    });
  });

  describe("refundAt", () => {
    /** A 3-seat ETH booking (0.03 ETH) five days ahead. */
    async function booked() {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 5);
      const { bookingId: id } = await book(f, 1, slot, 3);
      return { f, slot, id, amount: 3n * ETH_DEPOSIT };
    }

    it("succeeds with the full refund at 72 h and at exactly 48 h before the start", async () => {
      const { f, slot, id, amount } = await booked();
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 72 * HOUR)]), amount);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 48 * HOUR)]), amount);
    });

    it("succeeds with half the deposit one second under 48 h and at exactly 24 h", async () => {
      const { f, slot, id, amount } = await booked();
      assert.equal(amount / 2n, 15_000_000_000_000_000n);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 48 * HOUR + 1)]), amount / 2n);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 24 * HOUR)]), amount / 2n);
    });

    it("succeeds with nothing one second under 24 h, one second before, at and after the start", async () => {
      const { f, slot, id } = await booked();
      for (const t of [slot - 24 * HOUR + 1, slot - 1, slot, slot + 1, slot + 10 * DAY]) {
        assert.equal(await f.escrow.read.refundAt([id, BigInt(t)]), 0n, `at start ${t - slot}`);
      }
    });

    it("succeeds with nothing after the customer cancelled", async () => {
      const { f, slot, id, amount } = await booked();
      await f.escrow.write.cancel([id], { account: f.customer.account });
      assert.equal((await f.escrow.read.getBooking([id])).status, Status.CustomerCancelled);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 72 * HOUR)]), 0n);
      assert.notEqual(amount, 0n);
    });

    it("succeeds with nothing after the merchant cancelled", async () => {
      const { f, slot, id } = await booked();
      await f.escrow.write.cancelByMerchant([id], { account: f.merchant.account });
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 72 * HOUR)]), 0n);
    });

    it("succeeds with nothing after a customer-signed check-in, even for times in the refund tiers", async () => {
      const { f, slot, id, amount } = await booked();
      const times = [slot - 72 * HOUR, slot - 30 * HOUR];
      assert.deepEqual(await Promise.all(times.map((t) => f.escrow.read.refundAt([id, BigInt(t)]))), [
        amount,
        amount / 2n,
      ]);
      const signature = await signCheckIn(f.customer, id, f.escrow.address);
      await atTime(slot - CHECK_IN_OPENS);
      await f.escrow.write.checkInWithSignature([id, signature], { account: f.merchant.account });
      for (const t of times) assert.equal(await f.escrow.read.refundAt([id, BigInt(t)]), 0n, `at start ${t - slot}`);
    });

    it("succeeds with nothing for an unknown booking", async () => {
      const { f, slot } = await booked();
      assert.equal(
        await f.escrow.read.refundAt([
          encodeBookingId({ offeringId: 1, slotStart: slot, n: 2 }),
          BigInt(slot - 72 * HOUR),
        ]),
        0n,
      );
    });

    it("succeeds with the tier's share of the discounted amount, rounded down", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 5);
      const coupon: Coupon = await makeCoupon(2, 1n);
      const signature = await signCoupon(f.merchant, coupon, f.escrow.address);
      await f.stablecoin.write.approve([f.escrow.address, USD_DEPOSIT - 1n], { account: f.customer.account });
      const hash = await f.escrow.write.bookWithCoupon([2, slot, 1, zeroHash, coupon, signature], {
        account: f.customer.account,
      });
      const { bookingId: id, amount } = await bookedEvent(f, hash);
      assert.equal(amount, 24_999_999n);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 48 * HOUR)]), 24_999_999n);
      // 24_999_999 * 5000 / 10000 = 12_499_999.5 → 12_499_999
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 30 * HOUR)]), 12_499_999n);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - HOUR)]), 0n);
    });

    it("succeeds with nothing at any time for an offering without tiers", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await f.escrow.write.createOffering([terms(f.grid, { cancellationTiers: [] })], { account: f.merchant.account });
      const slot = await slotInDays(f.grid, 5);
      const { bookingId: id } = await book(f, 3, slot, 1);
      assert.equal(await f.escrow.read.refundAt([id, BigInt(slot - 4 * DAY)]), 0n);
    });
  });

  describe("seatsLeft", () => {
    it("succeeds with the full capacity of an unbooked slot", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 4n);
      assert.equal(await f.escrow.read.seatsLeft([2, slot]), 10n);
    });

    it("succeeds in counting seats per slot and offering, and giving cancelled seats back", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const first = (await book(f, 1, slot, 1)).bookingId;
      await book(f, 1, slot, 2, f.customer2);
      await book(f, 2, slot, 6);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 1n);
      assert.equal(await f.escrow.read.seatsLeft([2, slot]), 4n);
      assert.equal(await f.escrow.read.seatsLeft([1, slot + SLOT_LENGTH]), 4n);
      await f.escrow.write.cancel([first], { account: f.customer.account });
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 2n);
    });

    it("reverts with SlotOffGrid for a start off the slot grid", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      await book(f, 1, slot, 4);
      assert.equal(await f.escrow.read.seatsLeft([1, slot]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.read.seatsLeft([1, slot + 1]),
        f.escrow,
        "SlotOffGrid",
        [1, slot + 1, f.grid, 2 * 3600],
      );
    });

    it("reverts when the offering does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      for (const id of [0, 3, 4_294_967_295]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.escrow.read.seatsLeft([id, slot]),
          f.escrow,
          "OfferingNotFound",
          [id],
        );
      }
    });
  });

  describe("getOffering", () => {
    it("succeeds with the fixture's two offerings as created", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const eth = terms(f.grid, { arbiter: f.arbiter.account.address, arbiterTimeout: 3 * DAY });
      assert.deepEqual(await f.escrow.read.getOffering([1]), {
        seatsPerSlot: eth.seatsPerSlot,
        slotLength: eth.slotLength,
        firstSlotStart: f.grid,
        minLeadTime: eth.minLeadTime,
        maxAdvance: eth.maxAdvance,
        disputeWindow: eth.disputeWindow,
        noShowRefundBps: eth.noShowRefundBps,
        active: true,
        maxFeeBps: MAX_FEE_BPS,
        checkInRule: CheckInRule.MerchantWord,
        arbiterTag: Number(BigInt(f.arbiter.account.address) & 0xff_ffffn),
        token: zeroAddress,
        depositPerSeat: ETH_DEPOSIT,
        merchant: getAddress(f.merchant.account.address),
        arbiterTimeout: 3 * DAY,
        arbiter: getAddress(f.arbiter.account.address),
        cancellationTiers: DEFAULT_TIERS,
        metadata: eth.metadata,
      });
      const token = await f.escrow.read.getOffering([2]);
      assert.equal(token.token, getAddress(f.stablecoin.address));
      assert.equal(token.depositPerSeat, USD_DEPOSIT);
      assert.equal(token.seatsPerSlot, 10);
      assert.equal(token.arbiter, zeroAddress);
      assert.equal(token.arbiterTimeout, 0);
    });

    it("succeeds with active false after the merchant closed the offering", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await f.escrow.write.setOfferingActive([2, false], { account: f.merchant.account });
      assert.equal((await f.escrow.read.getOffering([2])).active, false);
    });

    it("reverts when the offering does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.read.getOffering([3]),
        f.escrow,
        "OfferingNotFound",
        [3],
      );
    });
  });

  describe("hashCoupon", () => {
    it("succeeds with the digest viem's hashTypedData computes", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const coupons: Coupon[] = [
        await makeCoupon(1, 1_000n),
        await makeCoupon(2, 5_000_000n, { customer: f.customer.account.address, maxRedemptions: 1 }),
        {
          offeringId: 4_294_967_295,
          discount: maxUint96,
          maxRedemptions: 4_294_967_295,
          expiresAt: 2 ** 40 - 1,
          customer: f.stranger.account.address,
          salt: keccak256(toHex("salt")),
          signer: f.payout.account.address,
        },
      ];
      const domain = couponDomain(await f.publicClient.getChainId(), f.escrow.address);
      for (const coupon of coupons) {
        const expected = hashTypedData({ domain, types: couponTypes, primaryType: "Coupon", message: coupon });
        assert.equal(await f.escrow.read.hashCoupon([coupon]), expected);
      }
    });

    it("succeeds with the digest built by hand from the type string and the domain", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const coupon = await makeCoupon(1, 123n, { customer: f.customer.account.address });
      const typeString =
        "Coupon(uint32 offeringId,uint96 discount,uint32 maxRedemptions,uint40 expiresAt,address customer,bytes32 salt," +
        "address signer)";
      const typeHash = keccak256(toHex(typeString));
      assert.equal(await f.escrow.read.COUPON_TYPEHASH(), typeHash);
      const structHash = keccak256(
        encodeAbiParameters(
          [
            { type: "bytes32" },
            { type: "uint32" },
            { type: "uint96" },
            { type: "uint32" },
            { type: "uint40" },
            { type: "address" },
            { type: "bytes32" },
            { type: "address" },
          ],
          [
            typeHash,
            coupon.offeringId,
            coupon.discount,
            coupon.maxRedemptions,
            coupon.expiresAt,
            coupon.customer,
            coupon.salt,
            coupon.signer,
          ],
        ),
      );
      const digest = keccak256(concat(["0x1901", await domainSeparator(f), structHash]));
      assert.equal(await f.escrow.read.hashCoupon([coupon]), digest);
    });

    it("succeeds with a different digest on another escrow and for any changed field", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      const coupon = await makeCoupon(1, 1_000n);
      const digest = await f.escrow.read.hashCoupon([coupon]);
      assert.notEqual(await other.read.hashCoupon([coupon]), digest);
      const variants: Coupon[] = [
        { ...coupon, offeringId: 2 },
        { ...coupon, discount: 1_001n },
        { ...coupon, maxRedemptions: 11 },
        { ...coupon, expiresAt: coupon.expiresAt - 1 },
        { ...coupon, customer: f.customer.account.address },
        { ...coupon, salt: zeroHash },
        { ...coupon, signer: f.stranger.account.address },
      ];
      const digests = new Set([digest]);
      for (const v of variants) digests.add(await f.escrow.read.hashCoupon([v]));
      assert.equal(digests.size, variants.length + 1);
    });
  });

  describe("hashCheckIn", () => {
    it("succeeds with the digest viem's hashTypedData computes, for booked and unknown ids alike", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const slot = await slotInDays(f.grid, 3);
      const { id } = await book(f, 1, slot, 1);
      const domain = escrowDomain(await f.publicClient.getChainId(), f.escrow.address);
      for (const bookingId of [id, id + 1n, 0n, maxUint256]) {
        const expected = hashTypedData({ domain, types: checkInTypes, primaryType: "CheckIn", message: { bookingId } });
        assert.equal(await f.escrow.read.hashCheckIn([bookingId]), expected);
      }
    });

    it("succeeds with the digest built by hand from the type string and the domain", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const typeHash = keccak256(toHex("CheckIn(uint256 bookingId)"));
      const bookingId = encodeBookingId({ offeringId: 1, slotStart: await slotInDays(f.grid, 3), n: 2 });
      const structHash = keccak256(
        encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [typeHash, bookingId]),
      );
      const digest = keccak256(concat(["0x1901", await domainSeparator(f), structHash]));
      assert.equal(await f.escrow.read.hashCheckIn([bookingId]), digest);
    });

    it("succeeds with a different digest on another escrow, and apart from the coupon digests", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      const bookingId = encodeBookingId({ offeringId: 1, slotStart: await slotInDays(f.grid, 3), n: 1 });
      const digest = await f.escrow.read.hashCheckIn([bookingId]);
      assert.notEqual(await other.read.hashCheckIn([bookingId]), digest);
      assert.notEqual(await f.escrow.read.hashCheckIn([bookingId + 1n]), digest);
    });
  });
});
