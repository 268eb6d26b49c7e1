// Coupon replay and forgery: a merchant's EIP-712 coupon only works on this chain, this escrow, the offering it
// names, for the customer it names, before it expires, as many times as it says, and only under the signature of
// the signer it names, who must be the offering's merchant or hold its coupon role at redemption. Each attempt
// outside those bounds fails with its named error and changes nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, parseEther, toHex, zeroAddress, type Hash, type Hex } from "viem";
import { STAFF_COUPONS, type Coupon } from "@earnest/sdk";
import { ecrecover, highS } from "../support/attackers.js";
import { bookedEvent } from "../support/booking.js";
import { mined } from "../support/chain.js";
import {
  deployEarnestEscrow,
  deployWithOfferings,
  detailsHash,
  FEE_BPS,
  HOUR,
  networkHelpers,
  slotInDays,
  terms,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { signCoupon } from "../support/signing.js";

const DEPOSIT = parseEther("0.01");
const DISCOUNT = parseEther("0.004");
const OFFERING = 1; // ETH, fixture merchant
const SISTER_OFFERING = 3; // a second ETH offering of the same merchant
const RIVAL_OFFERING = 4; // an ETH offering of another registered merchant

async function deployCouponWorld() {
  const f = await deployWithOfferings();
  const wallets = await viem.getWalletClients();
  const [rival, rivalPayout, couponStaff] = [wallets[10], wallets[11], wallets[12]];
  await mined(f, f.escrow.write.createOffering([terms(f.grid)], { account: f.merchant.account }));
  await mined(f, f.escrow.write.registerMerchant([rivalPayout.account.address, "Rival"], { account: rival.account }));
  await mined(f, f.escrow.write.createOffering([terms(f.grid)], { account: rival.account }));
  assert.equal(await f.escrow.read.offeringCount(), RIVAL_OFFERING);
  const slot = await slotInDays(f.grid, 5);
  const chainId = await f.publicClient.getChainId();
  const expiresAt = slot;
  return { f, rival, couponStaff, slot, chainId, expiresAt };
}

type World = Awaited<ReturnType<typeof deployCouponWorld>>;

/** Wallets that are neither the offering's merchant nor its staff: a stranger, the merchant's own payout address,
 *  the arbiter, the protocol owner, another registered merchant. */
function outsiders(w: World): Wallet[] {
  return [w.f.stranger, w.f.payout, w.f.arbiter, w.f.owner, w.rival];
}

function coupon(w: World, overrides: Partial<Coupon> = {}): Coupon {
  return {
    offeringId: OFFERING,
    discount: DISCOUNT,
    maxRedemptions: 3,
    expiresAt: w.expiresAt,
    customer: zeroAddress,
    salt: keccak256(toHex("spring")),
    signer: w.f.merchant.account.address,
    ...overrides,
  };
}

/** Books one seat of `offeringId` with `c` and `signature`, paying the discounted deposit. */
function redeem(
  w: World,
  c: Coupon,
  signature: Hex,
  offeringId = OFFERING,
  who: Wallet = w.f.customer,
  escrow = w.f.escrow,
): Promise<Hash> {
  return escrow.write.bookWithCoupon([offeringId, w.slot, 1, detailsHash("coupon"), c, signature], {
    account: who.account,
    value: DEPOSIT - c.discount,
  });
}

type Snapshot = { redemptions: bigint; seats: bigint; balance: bigint };

async function snapshot(w: World, digest: Hex, offeringId = OFFERING): Promise<Snapshot> {
  return {
    redemptions: await w.f.escrow.read.couponRedemptions([digest]),
    seats: await w.f.escrow.read.seatsLeft([offeringId, w.slot]),
    balance: await w.f.publicClient.getBalance({ address: w.f.escrow.address }),
  };
}

/** The merchant grants its coupon staff the coupon role; returns the staff. */
async function grantCouponRole(w: World): Promise<Wallet> {
  const staff = w.couponStaff;
  await mined(
    w.f,
    w.f.escrow.write.setStaffRoles([staff.account.address, STAFF_COUPONS], { account: w.f.merchant.account }),
  );
  return staff;
}

async function load(): Promise<World> {
  return networkHelpers.loadFixture(deployCouponWorld);
}

describe("attacks: coupon replay and forgery", () => {
  it("a coupon used as signed cannot redeem more than once per booking (the control)", async () => {
    const w = await load();
    const c = coupon(w);
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    const before = await snapshot(w, digest);
    const hash = await redeem(w, c, signature);
    const id = (await bookedEvent(w.f, hash)).bookingId;
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "CouponRedeemed", [digest, id, DISCOUNT, 1n]);
    assert.deepEqual(await snapshot(w, digest), {
      redemptions: 1n,
      seats: before.seats - 1n,
      balance: before.balance + DEPOSIT - DISCOUNT,
    });
    assert.equal((await w.f.escrow.read.getBooking([id])).amount, DEPOSIT - DISCOUNT);
  });

  it("a coupon signed for another chainId cannot be redeemed here (InvalidCouponSignature)", async () => {
    const w = await load();
    const c = coupon(w);
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId === 1 ? 10 : 1);
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(redeem(w, c, signature), w.f.escrow, "InvalidCouponSignature", [
      digest,
      getAddress(w.f.merchant.account.address),
    ]);
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a coupon signed for another escrow on the same chain cannot be redeemed here (InvalidCouponSignature)", async () => {
    const w = await load();
    const other = await deployEarnestEscrow(w.f.owner.account.address, w.f.feeRecipient.account.address, FEE_BPS);
    await mined(
      w.f,
      other.write.registerMerchant([w.f.payout.account.address, "Chez Earnest"], { account: w.f.merchant.account }),
    );
    await mined(w.f, other.write.createOffering([terms(w.f.grid)], { account: w.f.merchant.account }));
    const c = coupon(w, { maxRedemptions: 1 });
    const signature = await signCoupon(w.f.merchant, c, other.address, w.chainId);
    // It works where it was signed for ...
    await mined(w.f, redeem(w, c, signature, OFFERING, w.f.customer, other));
    assert.equal(await other.read.couponRedemptions([await other.read.hashCoupon([c])]), 1n);
    // ... and nowhere else, although the offering id, merchant and coupon fields are the same.
    const digest = await w.f.escrow.read.hashCoupon([c]);
    assert.notEqual(digest, await other.read.hashCoupon([c]));
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(redeem(w, c, signature), w.f.escrow, "InvalidCouponSignature", [
      digest,
      getAddress(w.f.merchant.account.address),
    ]);
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a coupon for one offering cannot be redeemed on another offering of the same merchant (CouponWrongOffering)", async () => {
    const w = await load();
    const c = coupon(w);
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    const before = await snapshot(w, digest, SISTER_OFFERING);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, c, signature, SISTER_OFFERING),
      w.f.escrow,
      "CouponWrongOffering",
      [digest, OFFERING, SISTER_OFFERING],
    );
    assert.deepEqual(await snapshot(w, digest, SISTER_OFFERING), before);
    // Rewriting the offering id breaks the signature instead.
    const moved = { ...c, offeringId: SISTER_OFFERING };
    const movedDigest = await w.f.escrow.read.hashCoupon([moved]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, moved, signature, SISTER_OFFERING),
      w.f.escrow,
      "InvalidCouponSignature",
      [movedDigest, getAddress(w.f.merchant.account.address)],
    );
    assert.deepEqual(await snapshot(w, movedDigest, SISTER_OFFERING), { ...before, redemptions: 0n });
  });

  it("a coupon reserved for one customer cannot be redeemed by another (CouponWrongCustomer)", async () => {
    const w = await load();
    const c = coupon(w, { customer: getAddress(w.f.customer.account.address) });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, c, signature, OFFERING, w.f.customer2),
      w.f.escrow,
      "CouponWrongCustomer",
      [digest, getAddress(w.f.customer.account.address), getAddress(w.f.customer2.account.address)],
    );
    assert.deepEqual(await snapshot(w, digest), before);
    // Nor by clearing the customer field: that is another coupon, which the merchant never signed.
    const open = { ...c, customer: zeroAddress };
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, open, signature, OFFERING, w.f.customer2),
      w.f.escrow,
      "InvalidCouponSignature",
      [await w.f.escrow.read.hashCoupon([open]), getAddress(w.f.merchant.account.address)],
    );
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a coupon cannot be redeemed beyond maxRedemptions (CouponExhausted)", async () => {
    const w = await load();
    const c = coupon(w, { maxRedemptions: 2 });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    await mined(w.f, redeem(w, c, signature, OFFERING, w.f.customer));
    await mined(w.f, redeem(w, c, signature, OFFERING, w.f.customer2));
    const before = await snapshot(w, digest);
    assert.equal(before.redemptions, 2n);
    for (const who of [w.f.customer, w.f.customer2, w.f.stranger]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        redeem(w, c, signature, OFFERING, who),
        w.f.escrow,
        "CouponExhausted",
        [digest, 2],
      );
    }
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a coupon cannot be redeemed after it expires (CouponExpired)", async () => {
    const w = await load();
    const expiresAt = (await networkHelpers.time.latest()) + 2 * HOUR;
    const c = coupon(w, { expiresAt });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    // Its last second still works ...
    await networkHelpers.time.setNextBlockTimestamp(expiresAt);
    await mined(w.f, redeem(w, c, signature));
    // ... the next one does not.
    const before = await snapshot(w, digest);
    await networkHelpers.time.setNextBlockTimestamp(expiresAt + 1);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, c, signature, OFFERING, w.f.customer2),
      w.f.escrow,
      "CouponExpired",
      [digest, expiresAt],
    );
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a high-s copy of a used signature cannot give an extra redemption (counted per digest: CouponExhausted)", async () => {
    const w = await load();
    const c = coupon(w, { maxRedemptions: 1 });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    const malleated = highS(signature);
    assert.notEqual(malleated, signature);
    // The malleated signature is a real one: ecrecover yields the merchant from it.
    assert.equal(await ecrecover(w.f, digest, malleated), getAddress(w.f.merchant.account.address));
    await mined(w.f, redeem(w, c, signature));
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, c, malleated, OFFERING, w.f.customer2),
      w.f.escrow,
      "CouponExhausted",
      [digest, 1],
    );
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a high-s signature cannot be redeemed even on a fresh coupon (InvalidCouponSignature)", async () => {
    const w = await load();
    const c = coupon(w, { maxRedemptions: 5 });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const malleated = highS(await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId));
    assert.equal(await ecrecover(w.f, digest, malleated), getAddress(w.f.merchant.account.address));
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(redeem(w, c, malleated), w.f.escrow, "InvalidCouponSignature", [
      digest,
      getAddress(w.f.merchant.account.address),
    ]);
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a coupon naming the merchant but signed by someone else cannot be redeemed (InvalidCouponSignature)", async () => {
    const w = await load();
    const c = coupon(w);
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const before = await snapshot(w, digest);
    // A stranger, the merchant's own payout address, the arbiter, the protocol owner, another registered merchant.
    for (const signer of outsiders(w)) {
      const signature = await signCoupon(signer, c, w.f.escrow.address, w.chainId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        redeem(w, c, signature),
        w.f.escrow,
        "InvalidCouponSignature",
        [digest, getAddress(w.f.merchant.account.address)],
      );
    }
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a coupon naming its own signer cannot be redeemed unless that is the merchant or its coupon staff", async () => {
    const w = await load();
    for (const signer of outsiders(w)) {
      const c = coupon(w, { signer: signer.account.address });
      const digest = await w.f.escrow.read.hashCoupon([c]);
      const before = await snapshot(w, digest);
      const signature = await signCoupon(signer, c, w.f.escrow.address, w.chainId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        redeem(w, c, signature),
        w.f.escrow,
        "CouponSignerNotAllowed",
        [digest, getAddress(signer.account.address)],
      );
      assert.deepEqual(await snapshot(w, digest), before);
    }
  });

  it("a coupon staff's signature cannot be replayed once the merchant revokes the role (CouponSignerNotAllowed)", async () => {
    const w = await load();
    const staff = await grantCouponRole(w);
    const c = coupon(w, { signer: staff.account.address });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(staff, c, w.f.escrow.address, w.chainId);
    await mined(w.f, redeem(w, c, signature));
    await mined(w.f, w.f.escrow.write.setStaffRoles([staff.account.address, 0], { account: w.f.merchant.account }));
    const before = await snapshot(w, digest);
    assert.equal(before.redemptions, 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, c, signature, OFFERING, w.f.customer2),
      w.f.escrow,
      "CouponSignerNotAllowed",
      [digest, getAddress(staff.account.address)],
    );
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("a merchant's coupon staff cannot sign coupons for another merchant's offering (CouponSignerNotAllowed)", async () => {
    const w = await load();
    const staff = await grantCouponRole(w);
    const c = coupon(w, { offeringId: RIVAL_OFFERING, signer: staff.account.address });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(staff, c, w.f.escrow.address, w.chainId);
    const before = await snapshot(w, digest, RIVAL_OFFERING);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, c, signature, RIVAL_OFFERING),
      w.f.escrow,
      "CouponSignerNotAllowed",
      [digest, getAddress(staff.account.address)],
    );
    assert.deepEqual(await snapshot(w, digest, RIVAL_OFFERING), before);
  });

  it("another merchant's coupon for its own offering cannot be redeemed on this merchant's offering", async () => {
    const w = await load();
    const c = coupon(w, { offeringId: RIVAL_OFFERING, signer: w.rival.account.address });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.rival, c, w.f.escrow.address, w.chainId);
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(redeem(w, c, signature), w.f.escrow, "CouponWrongOffering", [
      digest,
      RIVAL_OFFERING,
      OFFERING,
    ]);
    assert.deepEqual(await snapshot(w, digest), before);
    // It is a valid coupon on the rival's own offering.
    await mined(w.f, redeem(w, c, signature, RIVAL_OFFERING));
    assert.equal(await w.f.escrow.read.couponRedemptions([digest]), 1n);
  });

  it("a coupon's discount cannot be raised after signing (InvalidCouponSignature)", async () => {
    const w = await load();
    const c = coupon(w);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    const greedy = { ...c, discount: DEPOSIT };
    const digest = await w.f.escrow.read.hashCoupon([greedy]);
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(
      redeem(w, greedy, signature),
      w.f.escrow,
      "InvalidCouponSignature",
      [digest, getAddress(w.f.merchant.account.address)],
    );
    assert.deepEqual(await snapshot(w, digest), before);
  });

  it("reverts when a signed discount exceeds the deposit (CouponExceedsDeposit), counting nothing", async () => {
    const w = await load();
    const c = coupon(w, { discount: DEPOSIT + 1n });
    const digest = await w.f.escrow.read.hashCoupon([c]);
    const signature = await signCoupon(w.f.merchant, c, w.f.escrow.address, w.chainId);
    const before = await snapshot(w, digest);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithCoupon([OFFERING, w.slot, 1, detailsHash("coupon"), c, signature], {
        account: w.f.customer.account,
      }),
      w.f.escrow,
      "CouponExceedsDeposit",
      [DEPOSIT + 1n, DEPOSIT],
    );
    assert.deepEqual(await snapshot(w, digest), before);
  });
});
