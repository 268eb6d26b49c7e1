// Finding 4 of issue 12, second half: an arbiter booked the offering it arbitrates, disputed, and ruled itself a full
// refund. An arbiter can no longer book its own offerings, by any booking path (ArbiterCannotBook); it books other
// offerings like anyone. The check compares the lowest 24 address bits first (they sit in a slot every booking reads),
// so a customer who merely shares those bits with the arbiter must still get in. (The first half, an arbiter who is
// the merchant or its payout address, is refused when the offering is created: test/escrow/offerings.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther, zeroHash, type Address } from "viem";
import { encodeBookingId, noCoupon } from "@earnest/sdk";
import { bookedEvent } from "../support/booking.js";
import { mined } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  deployWithOfferings,
  detailsHash,
  ETH_DEPOSIT,
  networkHelpers,
  slotInDays,
  Status,
  terms,
  USD_DEPOSIT,
  viem,
} from "../support/fixture.js";
import { makeCoupon, signCoupon, signPermit } from "../support/signing.js";

const ETH_OFFERING = 1; // the fixture's, arbitrated by the fixture's arbiter
const NO_ARBITER_OFFERING = 2; // the fixture's stablecoin offering, without an arbiter
const TOKEN_OFFERING = 3; // stablecoin, arbitrated by the fixture's arbiter
const LOOKALIKE_OFFERING = 4; // ETH, arbitrated by an address whose lowest 24 bits are the customer's

/** `address` with its top 136 bits replaced, so that only its lowest 24 bits stay the same. */
function sameLowBits(address: Address): Address {
  return getAddress(`0x${"ab".repeat(17)}${address.slice(-6)}`);
}

async function deployArbiterWorld() {
  const f = await deployWithOfferings();
  const arbiter = f.arbiter.account.address;
  await mined(
    f,
    f.escrow.write.createOffering(
      [
        terms(f.grid, {
          token: f.stablecoin.address,
          depositPerSeat: USD_DEPOSIT,
          arbiter,
          arbiterTimeout: ARBITER_TIMEOUT,
        }),
      ],
      { account: f.merchant.account },
    ),
  );
  const lookalike = sameLowBits(f.customer.account.address);
  await mined(
    f,
    f.escrow.write.createOffering([terms(f.grid, { arbiter: lookalike, arbiterTimeout: ARBITER_TIMEOUT })], {
      account: f.merchant.account,
    }),
  );
  await mined(f, f.stablecoin.write.mint([arbiter, 10n * USD_DEPOSIT]));
  const slot = await slotInDays(f.grid, 3);
  return { f, lookalike, slot };
}

type World = Awaited<ReturnType<typeof deployArbiterWorld>>;

/** Asserts the slot of `offeringId` holds no booking: all its seats free and its first booking id unused. */
async function assertNothingBooked(w: World, offeringId: number): Promise<void> {
  const offering = await w.f.escrow.read.getOffering([offeringId]);
  assert.equal(await w.f.escrow.read.seatsLeft([offeringId, w.slot]), BigInt(offering.seatsPerSlot));
  const first = encodeBookingId({ offeringId, slotStart: w.slot, n: 1 });
  assert.equal((await w.f.escrow.read.getBooking([first])).status, Status.None);
}

describe("attacks: an arbiter as customer", () => {
  it("an arbiter cannot book the offering it arbitrates (ArbiterCannotBook)", async () => {
    const w = await networkHelpers.loadFixture(deployArbiterWorld);
    const balance = await w.f.publicClient.getBalance({ address: w.f.escrow.address });
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([ETH_OFFERING, w.slot, 1, detailsHash("arbiter")], {
        account: w.f.arbiter.account,
        value: ETH_DEPOSIT,
      }),
      w.f.escrow,
      "ArbiterCannotBook",
      [ETH_OFFERING, getAddress(w.f.arbiter.account.address)],
    );
    await assertNothingBooked(w, ETH_OFFERING);
    assert.equal(await w.f.publicClient.getBalance({ address: w.f.escrow.address }), balance);
  });

  it("an arbiter cannot book the offering it arbitrates with a coupon, which stays unredeemed", async () => {
    const w = await networkHelpers.loadFixture(deployArbiterWorld);
    const coupon = await makeCoupon(ETH_OFFERING, parseEther("0.001"));
    const signature = await signCoupon(w.f.merchant, coupon, w.f.escrow.address);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithCoupon([ETH_OFFERING, w.slot, 1, zeroHash, coupon, signature], {
        account: w.f.arbiter.account,
        value: ETH_DEPOSIT - coupon.discount,
      }),
      w.f.escrow,
      "ArbiterCannotBook",
      [ETH_OFFERING, getAddress(w.f.arbiter.account.address)],
    );
    assert.equal(await w.f.escrow.read.couponRedemptions([await w.f.escrow.read.hashCoupon([coupon])]), 0n);
    await assertNothingBooked(w, ETH_OFFERING);
  });

  it("an arbiter cannot book the token offering it arbitrates with a permit, which stays unused", async () => {
    const w = await networkHelpers.loadFixture(deployArbiterWorld);
    const arbiter = w.f.arbiter.account.address;
    const permit = await signPermit(w.f.arbiter, w.f.stablecoin, w.f.escrow.address, USD_DEPOSIT, BigInt(w.slot));
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithPermit([TOKEN_OFFERING, w.slot, 1, zeroHash, permit, noCoupon, "0x"], {
        account: w.f.arbiter.account,
      }),
      w.f.escrow,
      "ArbiterCannotBook",
      [TOKEN_OFFERING, getAddress(arbiter)],
    );
    assert.equal(await w.f.stablecoin.read.nonces([arbiter]), 0n);
    assert.equal(await w.f.stablecoin.read.balanceOf([arbiter]), 10n * USD_DEPOSIT);
    await assertNothingBooked(w, TOKEN_OFFERING);
  });

  it("an arbiter books an offering it does not arbitrate like anyone (the control)", async () => {
    const w = await networkHelpers.loadFixture(deployArbiterWorld);
    await mined(w.f, w.f.stablecoin.write.approve([w.f.escrow.address, USD_DEPOSIT], { account: w.f.arbiter.account }));
    const booked = await bookedEvent(
      w.f,
      w.f.escrow.write.book([NO_ARBITER_OFFERING, w.slot, 1, detailsHash("arbiter elsewhere")], {
        account: w.f.arbiter.account,
      }),
    );
    assert.equal(booked.customer, getAddress(w.f.arbiter.account.address));
    assert.equal(booked.amount, USD_DEPOSIT);
  });

  it("a customer sharing the arbiter's lowest 24 bits books; the arbiter itself cannot", async () => {
    const w = await networkHelpers.loadFixture(deployArbiterWorld);
    const offering = await w.f.escrow.read.getOffering([LOOKALIKE_OFFERING]);
    assert.equal(offering.arbiter, w.lookalike);
    assert.equal(offering.arbiterTag, Number(BigInt(w.f.customer.account.address) & 0xff_ffffn));
    const booked = await bookedEvent(
      w.f,
      w.f.escrow.write.book([LOOKALIKE_OFFERING, w.slot, 1, detailsHash("lookalike")], {
        account: w.f.customer.account,
        value: ETH_DEPOSIT,
      }),
    );
    assert.equal(booked.customer, getAddress(w.f.customer.account.address));

    await networkHelpers.impersonateAccount(w.lookalike);
    await networkHelpers.setBalance(w.lookalike, parseEther("1"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([LOOKALIKE_OFFERING, w.slot, 1, detailsHash("arbiter")], {
        account: w.lookalike,
        value: ETH_DEPOSIT,
      }),
      w.f.escrow,
      "ArbiterCannotBook",
      [LOOKALIKE_OFFERING, w.lookalike],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([LOOKALIKE_OFFERING, w.slot]), BigInt(offering.seatsPerSlot - 1));
  });
});
