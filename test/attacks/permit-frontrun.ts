// EIP-2612 permits under attack: a front-run permit (an attacker submits the customer's signature from the mempool
// first) must not block the customer's booking, a failed permit falls back on an existing allowance, a replayed
// permit cannot conjure an allowance, and nobody can book on someone else's permit.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, parseGwei, toHex, type Hash } from "viem";
import { encodeBookingId, noCoupon, type PermitArgs } from "@earnest/sdk";
import { bookedEvent, bookedIn } from "../support/booking.js";
import { mined } from "../support/chain.js";
import {
  connection,
  deployWithOfferings,
  detailsHash,
  networkHelpers,
  slotInDays,
  Status,
  viem,
} from "../support/fixture.js";
import { signPermit } from "../support/signing.js";

const OFFERING = 2; // MockStablecoin, 25 mUSD a seat, 10 seats
const PRICE = 25_000_000n;
const SEATS = 10n;
const START_BALANCE = 1_000_000_000n;

async function deployPermitWorld() {
  const f = await deployWithOfferings();
  const slot = await slotInDays(f.grid, 5);
  const token = getAddress(f.stablecoin.address);
  const deadline = BigInt(slot);
  return { f, slot, token, deadline };
}

type World = Awaited<ReturnType<typeof deployPermitWorld>>;

async function load(): Promise<World> {
  return networkHelpers.loadFixture(deployPermitWorld);
}

/** The customer's permit for `value`, with the given nonce (the customer's current one unless told). */
function customerPermit(w: World, value: bigint, nonce?: bigint, deadline = w.deadline): Promise<PermitArgs> {
  return signPermit(w.f.customer, w.f.stablecoin, w.f.escrow.address, value, deadline, nonce);
}

function bookWithPermit(w: World, seats: number, permit: PermitArgs, who = w.f.customer, gas?: bigint): Promise<Hash> {
  return w.f.escrow.write.bookWithPermit(
    [OFFERING, w.slot, seats, detailsHash(`permit:${seats}`), permit, noCoupon, "0x"],
    { account: who.account, gas },
  );
}

/** Asserts the token side of the books: escrow holds `held`, the customer paid exactly that. */
async function assertHeld(w: World, held: bigint): Promise<void> {
  assert.equal(await w.f.stablecoin.read.balanceOf([w.f.escrow.address]), held);
  assert.equal(await w.f.stablecoin.read.balanceOf([w.f.customer.account.address]), START_BALANCE - held);
}

describe("attacks: permit front-running", () => {
  it("a permit front-run in the same block cannot block the customer's bookWithPermit", async () => {
    const w = await load();
    const amount = 2n * PRICE;
    const permit = await customerPermit(w, amount);
    // Both transactions wait in the mempool; the attacker pays more, so its copy of the permit is mined first.
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    let victimHash: Hash;
    let attackerHash: Hash;
    try {
      victimHash = await w.f.escrow.write.bookWithPermit(
        [OFFERING, w.slot, 2, detailsHash("victim"), permit, noCoupon, "0x"],
        { account: w.f.customer.account, gas: 500_000n, maxPriorityFeePerGas: parseGwei("1") },
      );
      attackerHash = await w.f.stablecoin.write.permit(
        [w.f.customer.account.address, w.f.escrow.address, permit.value, permit.deadline, permit.v, permit.r, permit.s],
        { account: w.f.stranger.account, gas: 200_000n, maxPriorityFeePerGas: parseGwei("50") },
      );
      await networkHelpers.mine();
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    const attacker = await mined(w.f, attackerHash);
    const victim = await mined(w.f, victimHash);
    assert.equal(attacker.blockNumber, victim.blockNumber);
    assert.ok(attacker.transactionIndex < victim.transactionIndex, "the permit was front-run");

    const id = bookedIn(w.f, victim).bookingId;
    const view = await w.f.escrow.read.getBooking([id]);
    assert.equal(view.status, Status.Booked);
    assert.equal(view.customer, getAddress(w.f.customer.account.address));
    assert.equal(view.amount, amount);
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.slot]), SEATS - 2n);
    assert.equal(await w.f.stablecoin.read.nonces([w.f.customer.account.address]), 1n);
    assert.equal(await w.f.stablecoin.read.allowance([w.f.customer.account.address, w.f.escrow.address]), 0n);
    await assertHeld(w, amount);
  });

  it("a permit submitted directly to the token first cannot block the customer's bookWithPermit", async () => {
    const w = await load();
    const amount = 3n * PRICE;
    const permit = await customerPermit(w, amount);
    await mined(
      w.f,
      w.f.stablecoin.write.permit(
        [w.f.customer.account.address, w.f.escrow.address, permit.value, permit.deadline, permit.v, permit.r, permit.s],
        { account: w.f.stranger.account },
      ),
    );
    const id = (await bookedEvent(w.f, bookWithPermit(w, 3, permit))).bookingId;
    assert.equal((await w.f.escrow.read.getBooking([id])).amount, amount);
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.slot]), SEATS - 3n);
    await assertHeld(w, amount);
  });

  it("a permit with a wrong signature cannot block a booking whose existing allowance suffices", async () => {
    const w = await load();
    await mined(w.f, w.f.stablecoin.write.approve([w.f.escrow.address, PRICE], { account: w.f.customer.account }));
    const forged: PermitArgs = {
      value: PRICE,
      deadline: w.deadline,
      v: 28,
      r: keccak256(toHex("not a signature")),
      s: keccak256(toHex("at all")),
    };
    const id = (await bookedEvent(w.f, bookWithPermit(w, 1, forged))).bookingId;
    assert.equal((await w.f.escrow.read.getBooking([id])).status, Status.Booked);
    assert.equal(await w.f.stablecoin.read.allowance([w.f.customer.account.address, w.f.escrow.address]), 0n);
    assert.equal(await w.f.stablecoin.read.nonces([w.f.customer.account.address]), 0n);
    await assertHeld(w, PRICE);
  });

  it("an expired permit cannot block a booking whose existing allowance suffices", async () => {
    const w = await load();
    await mined(w.f, w.f.stablecoin.write.approve([w.f.escrow.address, PRICE], { account: w.f.customer.account }));
    const expired = await customerPermit(w, PRICE, undefined, 1n);
    await mined(w.f, bookWithPermit(w, 1, expired));
    await assertHeld(w, PRICE);
  });

  it("reverts when a replayed permit (nonce used) meets an insufficient allowance, with InsufficientAllowance", async () => {
    const w = await load();
    const permit = await customerPermit(w, PRICE);
    await mined(w.f, bookWithPermit(w, 1, permit));
    assert.equal(await w.f.stablecoin.read.nonces([w.f.customer.account.address]), 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(w, 1, permit),
      w.f.escrow,
      "InsufficientAllowance",
      [w.token, 0n, PRICE],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.slot]), SEATS - 1n);
    const second = await w.f.escrow.read.getBooking([
      encodeBookingId({ offeringId: OFFERING, slotStart: w.slot, n: 2 }),
    ]);
    assert.equal(second.status, Status.None);
    await assertHeld(w, PRICE);
  });

  it("reverts when an expired permit meets no allowance, with InsufficientAllowance", async () => {
    const w = await load();
    const expired = await customerPermit(w, PRICE, undefined, 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(w, 1, expired),
      w.f.escrow,
      "InsufficientAllowance",
      [w.token, 0n, PRICE],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.slot]), SEATS);
    await assertHeld(w, 0n);
  });

  it("an attacker cannot book on the customer's permit: the escrow only pulls from the caller", async () => {
    const w = await load();
    const permit = await customerPermit(w, PRICE);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(w, 1, permit, w.f.stranger),
      w.f.escrow,
      "InsufficientAllowance",
      [w.token, 0n, PRICE],
    );
    assert.equal(await w.f.stablecoin.read.nonces([w.f.customer.account.address]), 0n);
    assert.equal(await w.f.stablecoin.read.allowance([w.f.customer.account.address, w.f.escrow.address]), 0n);
    // Even after front-running the permit to create the customer's allowance, the attacker books nothing with it.
    await mined(
      w.f,
      w.f.stablecoin.write.permit(
        [w.f.customer.account.address, w.f.escrow.address, permit.value, permit.deadline, permit.v, permit.r, permit.s],
        { account: w.f.stranger.account },
      ),
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(w, 1, permit, w.f.stranger),
      w.f.escrow,
      "InsufficientAllowance",
      [w.token, 0n, PRICE],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.slot]), SEATS);
    await assertHeld(w, 0n);
    // The customer's own booking still goes through on the allowance the attacker set.
    await mined(w.f, bookWithPermit(w, 1, permit));
    await assertHeld(w, PRICE);
  });

  it("reverts when a valid permit grants less than the amount, with InsufficientAllowance, recording nothing", async () => {
    const w = await load();
    const permit = await customerPermit(w, PRICE - 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithPermit(w, 1, permit),
      w.f.escrow,
      "InsufficientAllowance",
      [w.token, PRICE - 1n, PRICE],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.slot]), SEATS);
    assert.equal(await w.f.stablecoin.read.nonces([w.f.customer.account.address]), 0n);
    await assertHeld(w, 0n);
  });

  it("reverts when a permit is given for an ETH offering, with PermitForNativeToken", async () => {
    const w = await load();
    const permit = await customerPermit(w, PRICE);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.bookWithPermit([1, w.slot, 1, detailsHash("eth"), permit, noCoupon, "0x"], {
        account: w.f.customer.account,
      }),
      w.f.escrow,
      "PermitForNativeToken",
      [1],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([1, w.slot]), 4n);
  });
});
