// Front-running settlement: since anyone may settle a booking once it can settle, a stranger (or a customer) can
// get a transaction in before the merchant's batched claim or the arbiter's ruling. Mined first in the same block,
// it must not fail the claim (which skips what was settled, so every booking is paid exactly once) and must not
// pre-empt a ruling; and the one who settles is paid nothing for it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEventLogs, type Address, type Hash, type TransactionReceipt } from "viem";
import { settlesAt } from "@earnest/sdk";
import { inOneBlock, revertOf } from "../support/attackers.js";
import { book } from "../support/booking.js";
import { Books, holdings, received, type Holdings } from "../support/books.js";
import { gasCost, mined } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  deployWithOfferings,
  ETH,
  ETH_DEPOSIT,
  fixtureAccounts,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  slotInDays,
  Status,
  TIMING,
} from "../support/fixture.js";

/** Fixed, so that no estimate is made against the state before the block. */
const GAS = 500_000n;

/** Four one-seat no-shows of offering 1 (ETH, arbiter) in one slot, two per customer; the last one disputed. */
async function deployFrontRunWorld() {
  const f = await deployWithOfferings();
  const slot = await slotInDays(f.grid, 2);
  const books = new Books();
  const ids: bigint[] = [];
  for (const customer of [f.customer, f.customer2, f.customer, f.customer2]) {
    const { id } = await book(f, f.ethOffering, slot, 1, customer);
    books.booked(id, ETH, ETH_DEPOSIT);
    ids.push(id);
  }
  await networkHelpers.time.setNextBlockTimestamp(slot + HOUR);
  await mined(f, f.escrow.write.dispute([ids[3], "never served"], { account: f.customer2.account }));
  books.disputed(ids[3]);
  return { f, slot, ids, books, accounts: fixtureAccounts(f) };
}

type World = Awaited<ReturnType<typeof deployFrontRunWorld>>;

async function load(): Promise<World> {
  const w = await networkHelpers.loadFixture(deployFrontRunWorld);
  return { ...w, books: w.books.clone() };
}

/** The ids of the `Settled` events in a receipt, in order. */
function settledIds(w: World, receipt: TransactionReceipt): bigint[] {
  return parseEventLogs({ abi: w.f.escrow.abi, eventName: "Settled", logs: receipt.logs }).map((e) => e.args.bookingId);
}

/** Mines `sends` in one block and asserts each account got exactly `expected` over the block (ETH, pushed), the
 *  senders' gas added back; returns the receipts. */
async function block(
  w: World,
  sends: Array<() => Promise<Hash>>,
  expected: Map<Address, bigint>,
): Promise<TransactionReceipt[]> {
  const before: Holdings = await holdings(w.f, ETH, w.accounts);
  const receipts = await inOneBlock(w.f, sends);
  const after = await holdings(w.f, ETH, w.accounts);
  for (const account of w.accounts) {
    const gas = receipts
      .filter((r) => r.from.toLowerCase() === account.toLowerCase())
      .reduce((sum, r) => sum + gasCost(r), 0n);
    const how = received(w.books, ETH, before, after, account, expected.get(account) ?? 0n, gas);
    assert.notEqual(how, "credited", `${account} was credited`);
  }
  await w.books.check(w.f, [ETH], w.accounts);
  return receipts;
}

describe("attacks: front-running settlement", () => {
  it("a stranger's settle mined just before the merchant's claim cannot fail it: each booking is paid once", async () => {
    const w = await load();
    const [a, b, c] = w.ids;
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.slot }, TIMING));
    const [sa, sb, sc] = [a, b, c].map((id) => w.books.settle(id, Status.NoShow, NO_SHOW_BPS));
    const expected = new Map<Address, bigint>([
      [w.f.customer.account.address, sa.customerShare + sc.customerShare],
      [w.f.customer2.account.address, sb.customerShare],
      [w.f.payout.account.address, sa.merchantShare + sb.merchantShare + sc.merchantShare],
    ]);
    const [settle, claim] = await block(
      w,
      [
        () => w.f.escrow.write.settle([b], { account: w.f.stranger.account, gas: GAS }),
        () => w.f.escrow.write.claim([[a, b, c]], { account: w.f.merchant.account, gas: GAS }),
      ],
      expected,
    );
    assert.equal(settle.status, "success");
    assert.equal(claim.status, "success");
    assert.deepEqual(settledIds(w, settle), [b]);
    assert.deepEqual(settledIds(w, claim), [a, c]);
    const [claimed] = parseEventLogs({ abi: w.f.escrow.abi, eventName: "Claimed", logs: claim.logs });
    assert.equal(claimed.args.amount, sa.merchantShare + sc.merchantShare);
  });

  it("a claim whose every booking was settled first cannot fail either: it pays nothing and claims nothing", async () => {
    const w = await load();
    const [a, b] = w.ids;
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.slot }, TIMING));
    const [sa, sb] = [a, b].map((id) => w.books.settle(id, Status.NoShow, NO_SHOW_BPS));
    const expected = new Map<Address, bigint>([
      [w.f.customer.account.address, sa.customerShare],
      [w.f.customer2.account.address, sb.customerShare],
      [w.f.payout.account.address, sa.merchantShare + sb.merchantShare],
    ]);
    const receipts = await block(
      w,
      [
        () => w.f.escrow.write.settle([a], { account: w.f.customer.account, gas: GAS }),
        () => w.f.escrow.write.settle([b], { account: w.f.stranger.account, gas: GAS }),
        () => w.f.escrow.write.claim([[a, b]], { account: w.f.merchant.account, gas: GAS }),
      ],
      expected,
    );
    assert.deepEqual(
      receipts.map((r) => r.status),
      ["success", "success", "success"],
    );
    assert.deepEqual(settledIds(w, receipts[2]), []);
    assert.equal(receipts[2].logs.length, 0);
  });

  it("a stranger's settle mined just before the arbiter's ruling cannot pre-empt it (DisputeUnresolved)", async () => {
    const w = await load();
    const disputed = w.ids[3];
    const settlesAtTime = settlesAt({ slotStart: w.slot }, TIMING);
    const deadline = settlesAtTime + ARBITER_TIMEOUT;
    await networkHelpers.time.setNextBlockTimestamp(deadline - 1);
    const ruling = w.books.settle(disputed, Status.Resolved, 7_000n);
    const expected = new Map<Address, bigint>([
      [w.f.customer2.account.address, ruling.customerShare],
      [w.f.payout.account.address, ruling.merchantShare],
    ]);
    const [settle, resolve] = await block(
      w,
      [
        () => w.f.escrow.write.settle([disputed], { account: w.f.stranger.account, gas: GAS }),
        () => w.f.escrow.write.resolve([disputed, 7_000], { account: w.f.arbiter.account, gas: GAS }),
      ],
      expected,
    );
    const error = await revertOf(w.f.escrow.abi, settle);
    assert.equal(error.errorName, "DisputeUnresolved");
    assert.deepEqual(error.args, [disputed, BigInt(deadline)]);
    assert.equal(resolve.status, "success");
    assert.equal((await w.f.escrow.read.getBooking([disputed])).status, Status.Resolved);
  });
});
