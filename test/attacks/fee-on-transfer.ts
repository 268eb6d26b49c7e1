// A fee-on-transfer token (burns 1 % of every transfer), allow-listed by mistake and used by an offering: the
// escrow's balance-delta check refuses every booking that would arrive short, and a refused booking leaves no
// trace (no seats taken, no booking numbered, no coupon redemption counted, no tokens moved).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, maxUint256, toHex, type Address } from "viem";
import { encodeBookingId, noCoupon, type Coupon, type PermitArgs } from "@earnest/sdk";
import { bookedIn } from "../support/booking.js";
import { mined } from "../support/chain.js";
import {
  createOffering,
  createTokenOffering,
  deployWithOfferings,
  detailsHash,
  networkHelpers,
  slotInDays,
  Status,
  viem,
} from "../support/fixture.js";
import { signCoupon } from "../support/signing.js";

const DEPOSIT = 10n ** 18n; // 1 FOT a seat: 1 % of it is burnt on transfer
const SMALL_DEPOSIT = 99n; // 1 % of 99 wei rounds to zero: one seat arrives whole, two seats do not
const OFFERING = 3;
const SMALL_OFFERING = 4;
const SEATS = 4n;

/** What the escrow receives of `amount` sent: the token burns `amount / 100`. */
const arriving = (amount: bigint): bigint => amount - amount / 100n;

async function deployFeeOnTransferWorld() {
  const f = await deployWithOfferings();
  const fot = await viem.deployContract("FeeOnTransferToken");
  const token = getAddress(fot.address);
  await createTokenOffering(f, token, { depositPerSeat: DEPOSIT });
  await createOffering(f, { token, depositPerSeat: SMALL_DEPOSIT });
  await mined(f, fot.write.mint([f.customer.account.address, 100n * DEPOSIT]));
  const slot = await slotInDays(f.grid, 5);
  const chainId = await f.publicClient.getChainId();
  return { f, fot, token, slot, chainId };
}

type World = Awaited<ReturnType<typeof deployFeeOnTransferWorld>>;

/** Asserts nothing of a refused booking stayed: seats, the slot's first booking id, and all token balances. */
async function assertNothingRecorded(w: World, offeringId: number, customerBalance: bigint): Promise<void> {
  assert.equal(await w.f.escrow.read.seatsLeft([offeringId, w.slot]), SEATS);
  const first = await w.f.escrow.read.getBooking([encodeBookingId({ offeringId, slotStart: w.slot, n: 1 })]);
  assert.equal(first.status, Status.None);
  assert.equal(await w.fot.read.balanceOf([w.f.escrow.address]), 0n);
  assert.equal(await w.fot.read.balanceOf([w.f.customer.account.address]), customerBalance);
  assert.equal(await w.fot.read.totalSupply(), 100n * DEPOSIT);
}

/** A permit that cannot work: the token has no `permit` at all. */
const NO_PERMIT: PermitArgs = {
  value: maxUint256,
  deadline: maxUint256,
  v: 27,
  r: keccak256(toHex("r")),
  s: keccak256(toHex("s")),
};

describe("attacks: fee-on-transfer token", () => {
  it("reverts when a booking would arrive short, with TokenAmountMismatch, recording nothing", async () => {
    const w = await networkHelpers.loadFixture(deployFeeOnTransferWorld);
    await mined(w.f, w.fot.write.approve([w.f.escrow.address, maxUint256], { account: w.f.customer.account }));
    for (const seats of [1, 3]) {
      const amount = DEPOSIT * BigInt(seats);
      await viem.assertions.revertWithCustomErrorWithArgs(
        w.f.escrow.write.book([OFFERING, w.slot, seats, detailsHash("fot")], { account: w.f.customer.account }),
        w.f.escrow,
        "TokenAmountMismatch",
        [w.token, amount, arriving(amount)],
      );
    }
    await assertNothingRecorded(w, OFFERING, 100n * DEPOSIT);
  });

  it("a short-arriving booking cannot take a seat or a booking number: the next whole booking is number 1", async () => {
    const w = await networkHelpers.loadFixture(deployFeeOnTransferWorld);
    await mined(w.f, w.fot.write.approve([w.f.escrow.address, maxUint256], { account: w.f.customer.account }));
    // Two seats of 99 wei: 198 sent, 1 burnt.
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([SMALL_OFFERING, w.slot, 2, detailsHash("two")], { account: w.f.customer.account }),
      w.f.escrow,
      "TokenAmountMismatch",
      [w.token, 2n * SMALL_DEPOSIT, 2n * SMALL_DEPOSIT - 1n],
    );
    await assertNothingRecorded(w, SMALL_OFFERING, 100n * DEPOSIT);
    // One seat of 99 wei arrives whole (nothing is burnt), so it books: as the slot's first booking, one seat taken.
    const receipt = await mined(
      w.f,
      w.f.escrow.write.book([SMALL_OFFERING, w.slot, 1, detailsHash("one")], { account: w.f.customer.account }),
    );
    const id = bookedIn(w.f, receipt).bookingId;
    assert.equal(id, encodeBookingId({ offeringId: SMALL_OFFERING, slotStart: w.slot, n: 1 }));
    assert.equal(await w.f.escrow.read.seatsLeft([SMALL_OFFERING, w.slot]), SEATS - 1n);
    assert.equal(await w.fot.read.balanceOf([w.f.escrow.address]), SMALL_DEPOSIT);
  });

  it("reverts when a coupon booking would arrive short, without counting the coupon", async () => {
    const w = await networkHelpers.loadFixture(deployFeeOnTransferWorld);
    await mined(w.f, w.fot.write.approve([w.f.escrow.address, maxUint256], { account: w.f.customer.account }));
    const coupon: Coupon = {
      offeringId: OFFERING,
      discount: DEPOSIT / 4n,
      maxRedemptions: 5,
      expiresAt: w.slot,
      customer: w.f.customer.account.address,
      salt: keccak256(toHex("fot-coupon")),
      signer: w.f.merchant.account.address,
    };
    const signature = await signCoupon(w.f.merchant, coupon, w.f.escrow.address, w.chainId);
    const digest = await w.f.escrow.read.hashCoupon([coupon]);
    const amount = DEPOSIT - DEPOSIT / 4n;
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithCoupon([OFFERING, w.slot, 1, detailsHash("fot"), coupon, signature], {
        account: w.f.customer.account,
      }),
      w.f.escrow,
      "TokenAmountMismatch",
      [w.token, amount, arriving(amount)],
    );
    assert.equal(await w.f.escrow.read.couponRedemptions([digest]), 0n);
    await assertNothingRecorded(w, OFFERING, 100n * DEPOSIT);
  });

  it("reverts when bookWithPermit is used without an allowance: the token has no permit (InsufficientAllowance)", async () => {
    const w = await networkHelpers.loadFixture(deployFeeOnTransferWorld);
    assert.equal(await w.fot.read.allowance([w.f.customer.account.address, w.f.escrow.address]), 0n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithPermit([OFFERING, w.slot, 2, detailsHash("fot"), NO_PERMIT, noCoupon, "0x"], {
        account: w.f.customer.account,
      }),
      w.f.escrow,
      "InsufficientAllowance",
      [w.token, 0n, 2n * DEPOSIT],
    );
    await assertNothingRecorded(w, OFFERING, 100n * DEPOSIT);
  });

  it("reverts when bookWithPermit falls back on an allowance but the token arrives short (TokenAmountMismatch)", async () => {
    const w = await networkHelpers.loadFixture(deployFeeOnTransferWorld);
    const allowance = 2n * DEPOSIT;
    await mined(w.f, w.fot.write.approve([w.f.escrow.address, allowance], { account: w.f.customer.account }));
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithPermit([OFFERING, w.slot, 2, detailsHash("fot"), NO_PERMIT, noCoupon, "0x"], {
        account: w.f.customer.account,
      }),
      w.f.escrow,
      "TokenAmountMismatch",
      [w.token, allowance, arriving(allowance)],
    );
    await assertNothingRecorded(w, OFFERING, 100n * DEPOSIT);
    assert.equal(await w.fot.read.allowance([w.f.customer.account.address, w.f.escrow.address]), allowance);
  });

  it("reverts when a fee-on-transfer booking also sends ETH (WrongPayment), recording nothing", async () => {
    const w = await networkHelpers.loadFixture(deployFeeOnTransferWorld);
    await mined(w.f, w.fot.write.approve([w.f.escrow.address, maxUint256], { account: w.f.customer.account }));
    const customer: Address = w.f.customer.account.address;
    const ethBefore = await w.f.publicClient.getBalance({ address: w.f.escrow.address });
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([OFFERING, w.slot, 1, detailsHash("fot")], { account: w.f.customer.account, value: 1n }),
      w.f.escrow,
      "WrongPayment",
      [0n, 1n],
    );
    assert.equal(await w.f.publicClient.getBalance({ address: w.f.escrow.address }), ethBefore);
    await assertNothingRecorded(w, OFFERING, 100n * DEPOSIT);
    assert.equal(await w.fot.read.balanceOf([customer]), 100n * DEPOSIT);
  });
});
