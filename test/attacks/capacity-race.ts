// Capacity races: more seats requested than a slot has, by transactions mined in the same block. The slot ends
// exactly full, the transactions that come too late revert with SlotFull (read from the mined transactions'
// own revert data), and the losers pay nothing but gas.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maxUint256, parseEther, type Hash, type TransactionReceipt } from "viem";
import { encodeBookingId } from "@earnest/sdk";
import { inOneBlock, revertOf } from "../support/attackers.js";
import { bookedEvent, bookedIn } from "../support/booking.js";
import { gasCost, mined } from "../support/chain.js";
import { deployWithOfferings, detailsHash, networkHelpers, slotInDays, viem, type Wallet } from "../support/fixture.js";

const ETH_OFFERING = 1; // 4 seats, 0.01 ETH a seat
const ETH_SEATS = 4;
const DEPOSIT = parseEther("0.01");
const USD_OFFERING = 2; // 10 seats, 25 mUSD a seat
const USD_SEATS = 10;
const PRICE = 25_000_000n;
const GAS = 400_000n; // fixed, so that no estimate is made against the pre-block state

async function deployRaceWorld() {
  const f = await deployWithOfferings();
  const wallets = await viem.getWalletClients();
  const racers = wallets.slice(10, 18);
  for (const racer of racers) {
    await mined(f, f.stablecoin.write.mint([racer.account.address, 100n * PRICE]));
    await mined(f, f.stablecoin.write.approve([f.escrow.address, maxUint256], { account: racer.account }));
  }
  const slot = await slotInDays(f.grid, 3);
  return { f, racers, slot };
}

type World = Awaited<ReturnType<typeof deployRaceWorld>>;

function bookEth(w: World, who: Wallet, seats: number): () => Promise<Hash> {
  return () =>
    w.f.escrow.write.book([ETH_OFFERING, w.slot, seats, detailsHash(`race:${who.account.address}`)], {
      account: who.account,
      value: DEPOSIT * BigInt(seats),
      gas: GAS,
    });
}

function bookUsd(w: World, who: Wallet, seats: number): () => Promise<Hash> {
  return () =>
    w.f.escrow.write.book([USD_OFFERING, w.slot, seats, detailsHash(`race:${who.account.address}`)], {
      account: who.account,
      gas: GAS,
    });
}

/**
 * Replays the requests in block order against `capacity`, independently of the contract: which succeed, and the
 * seats left that each failing one saw.
 */
function firstComeFirstServed(capacity: number, requests: number[]): Array<{ ok: boolean; left: number }> {
  let left = capacity;
  return requests.map((seats) => {
    if (seats <= left) {
      left -= seats;
      return { ok: true, left };
    }
    return { ok: false, left };
  });
}

/** Asserts each receipt's outcome: success with the next booking number, or SlotFull with the seats it saw. */
async function assertOutcomes(
  w: World,
  offeringId: number,
  capacity: number,
  requests: number[],
  receipts: TransactionReceipt[],
): Promise<void> {
  const expected = firstComeFirstServed(capacity, requests);
  let n = 0n;
  for (const [i, receipt] of receipts.entries()) {
    if (expected[i].ok) {
      assert.equal(receipt.status, "success", `request ${i} should succeed`);
      n += 1n;
      assert.equal(bookedIn(w.f, receipt).bookingId, encodeBookingId({ offeringId, slotStart: w.slot, n: Number(n) }));
    } else {
      const error = await revertOf(w.f.escrow.abi, receipt);
      assert.equal(error.errorName, "SlotFull");
      assert.deepEqual(error.args, [offeringId, w.slot, BigInt(expected[i].left), requests[i]]);
    }
  }
  const booked = requests.filter((_, i) => expected[i].ok).reduce((a, b) => a + b, 0);
  assert.ok(booked <= capacity);
  assert.equal(await w.f.escrow.read.seatsLeft([offeringId, w.slot]), BigInt(capacity - booked));
}

describe("attacks: capacity races in one block", () => {
  it("more single-seat bookings than seats in one block cannot overbook: exactly seatsPerSlot succeed", async () => {
    const w = await networkHelpers.loadFixture(deployRaceWorld);
    const racers = w.racers.slice(0, ETH_SEATS + 3);
    const requests = racers.map(() => 1);
    const before = await Promise.all(racers.map((r) => w.f.publicClient.getBalance({ address: r.account.address })));
    const escrowBefore = await w.f.publicClient.getBalance({ address: w.f.escrow.address });

    const receipts = await inOneBlock(
      w.f,
      racers.map((r) => bookEth(w, r, 1)),
    );

    assert.equal(receipts.filter((r) => r.status === "success").length, ETH_SEATS);
    assert.equal(receipts.filter((r) => r.status === "reverted").length, 3);
    await assertOutcomes(w, ETH_OFFERING, ETH_SEATS, requests, receipts);
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 0n);
    assert.equal(
      await w.f.publicClient.getBalance({ address: w.f.escrow.address }),
      escrowBefore + BigInt(ETH_SEATS) * DEPOSIT,
    );
    for (const [i, r] of racers.entries()) {
      const paid = receipts[i].status === "success" ? DEPOSIT : 0n;
      assert.equal(
        await w.f.publicClient.getBalance({ address: r.account.address }),
        before[i] - paid - gasCost(receipts[i]),
      );
    }
    // The seat count holds afterwards too.
    await viem.assertions.revertWithCustomErrorWithArgs(bookEth(w, w.f.customer, 1)(), w.f.escrow, "SlotFull", [
      ETH_OFFERING,
      w.slot,
      0n,
      1,
    ]);
  });

  it("two customers each asking for more than half the seats cannot both get them", async () => {
    const w = await networkHelpers.loadFixture(deployRaceWorld);
    const [a, b] = w.racers;
    const receipts = await inOneBlock(w.f, [bookEth(w, a, 3), bookEth(w, b, 3)]);
    await assertOutcomes(w, ETH_OFFERING, ETH_SEATS, [3, 3], receipts);
    assert.equal(receipts[0].status, "success");
    assert.equal(receipts[1].status, "reverted");
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 1n);
    assert.equal(await w.f.publicClient.getBalance({ address: w.f.escrow.address }), 3n * DEPOSIT);
    // The loser can still take the one seat left.
    await mined(w.f, bookEth(w, b, 1)());
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 0n);
  });

  it("two token customers each asking for more than half the seats cannot both get them or lose tokens", async () => {
    const w = await networkHelpers.loadFixture(deployRaceWorld);
    const [a, b] = w.racers;
    const receipts = await inOneBlock(w.f, [bookUsd(w, a, 6), bookUsd(w, b, 6)]);
    await assertOutcomes(w, USD_OFFERING, USD_SEATS, [6, 6], receipts);
    assert.equal(await w.f.escrow.read.seatsLeft([USD_OFFERING, w.slot]), 4n);
    assert.equal(await w.f.stablecoin.read.balanceOf([w.f.escrow.address]), 6n * PRICE);
    assert.equal(await w.f.stablecoin.read.balanceOf([a.account.address]), 100n * PRICE - 6n * PRICE);
    assert.equal(await w.f.stablecoin.read.balanceOf([b.account.address]), 100n * PRICE);
  });

  it("a mixed race cannot overbook: requests are served first come, first served until the slot is full", async () => {
    const w = await networkHelpers.loadFixture(deployRaceWorld);
    const requests = [2, 1, 2, 1, 1, 3];
    const racers = w.racers.slice(0, requests.length);
    const receipts = await inOneBlock(
      w.f,
      racers.map((r, i) => bookEth(w, r, requests[i])),
    );
    assert.deepEqual(
      receipts.map((r) => r.status),
      ["success", "success", "reverted", "success", "reverted", "reverted"],
    );
    await assertOutcomes(w, ETH_OFFERING, ETH_SEATS, requests, receipts);
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 0n);
    assert.equal(await w.f.publicClient.getBalance({ address: w.f.escrow.address }), 4n * DEPOSIT);
  });

  it("a seat freed by a cancellation in the same block cannot be taken twice", async () => {
    const w = await networkHelpers.loadFixture(deployRaceWorld);
    const [holder, ...others] = w.racers;
    const held = (await bookedEvent(w.f, bookEth(w, holder, 1)())).bookingId;
    for (const r of others.slice(0, 3)) await mined(w.f, bookEth(w, r, 1)());
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 0n);

    const [x, y] = others.slice(3, 5);
    const receipts = await inOneBlock(w.f, [
      () => w.f.escrow.write.cancel([held], { account: holder.account, gas: GAS }),
      bookEth(w, x, 1),
      bookEth(w, y, 1),
    ]);
    assert.equal(receipts[0].status, "success");
    assert.equal(receipts[1].status, "success");
    assert.equal(
      bookedIn(w.f, receipts[1]).bookingId,
      encodeBookingId({ offeringId: ETH_OFFERING, slotStart: w.slot, n: 5 }),
    );
    const error = await revertOf(w.f.escrow.abi, receipts[2]);
    assert.equal(error.errorName, "SlotFull");
    assert.deepEqual(error.args, [ETH_OFFERING, w.slot, 0n, 1]);
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 0n);
    // Four deposits held: the cancelled one was refunded in full (48 h or more before the start).
    assert.equal(await w.f.publicClient.getBalance({ address: w.f.escrow.address }), 4n * DEPOSIT);
  });

  it("reverts when a booking shifts its start off the grid to dodge a full slot (SlotOffGrid)", async () => {
    const w = await networkHelpers.loadFixture(deployRaceWorld);
    await mined(w.f, bookEth(w, w.racers[0], ETH_SEATS)());
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([ETH_OFFERING, w.slot + 1, 1, detailsHash("dodge")], {
        account: w.f.customer.account,
        value: DEPOSIT,
      }),
      w.f.escrow,
      "SlotOffGrid",
      [ETH_OFFERING, w.slot + 1, w.f.grid, 2 * 3600],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([ETH_OFFERING, w.slot]), 0n);
  });
});
