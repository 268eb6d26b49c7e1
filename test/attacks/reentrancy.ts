// Re-entrancy: every path that sends ETH out of the escrow (cancels, rulings, claims, anyone's settle, withdrawals)
// pays a ReentrantReceiver that calls back into the escrow. Each call-back is one the receiver could make on its own
// at that moment (it is a customer with open bookings, a merchant with an open and a claimable booking, the arbiter
// of another merchant's disputed booking, holds a credit and an allowance; anyone may settle), so only the guard can
// stop it. No call-back ever succeeds, every party is paid exactly once, and the
// escrow's balance equals deposits held + credits + fees owed, all computed by the test itself.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeFunctionData,
  maxUint256,
  parseEther,
  parseEventLogs,
  toFunctionSelector,
  type Address,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { settlesAt } from "@earnest/sdk";
import { book, viaContract, type Executor } from "../support/booking.js";
import { Books, holdings, received } from "../support/books.js";
import { gasCost, mined } from "../support/chain.js";
import {
  DAY,
  deployWithOfferings,
  detailsHash,
  ETH,
  fixtureAccounts,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  slotInDays,
  SLOT_LENGTH,
  Status,
  terms,
  TIMING,
  viem,
  type Escrow,
  type Wallet,
} from "../support/fixture.js";

const DEPOSIT = parseEther("0.01");
const USD_SEATS = 10n;
const BURNER: Address = "0x00000000000000000000000000000000000bad00";
/** The selector of OpenZeppelin's `ReentrancyGuardReentrantCall()`, what a guarded re-entry reverts with. */
const REENTRANCY_SELECTOR: Hex = toFunctionSelector("ReentrancyGuardReentrantCall()");

/** Installs code that burns all gas it is given at `address`: a callee that makes any limited-gas caller run dry. */
async function deployGasBurner(address: Address): Promise<void> {
  await networkHelpers.setCode(address, "0xfe");
}

/** The `Credited` events of a transaction, as [token, account (lower case), amount]. */
function creditedEvents(escrow: Escrow, receipt: TransactionReceipt): Array<[Address, Address, bigint]> {
  return parseEventLogs({ abi: escrow.abi, eventName: "Credited", logs: receipt.logs }).map((e) => [
    e.args.token,
    e.args.account.toLowerCase() as Address,
    e.args.amount,
  ]);
}

/**
 * The world every test starts from, at time `T` (one hour after the early slots became claimable):
 * - offering 1 (fixture merchant, EOA payout, EOA arbiter): the receiver R holds two early bookings (one disputed,
 *   one a no-show to be), C1 two more (one disputed); C2 a claimed one in the next slot; R four late ones (open,
 *   to be cancelled by itself, to be cancelled by the merchant, and one merchant-cancelled into a credit); C1 one
 *   that a cancellation now refunds at 50 %.
 * - offering 3 belongs to R (payout R, no arbiter): an early booking of C2 (claimable), a late one (open).
 * - offering 4 belongs to a second merchant (M2, EOA payout P2) and has R as its arbiter: an early booking of C1,
 *   disputed. (Not the fixture merchant's: its payout becomes R in some paths, and a payout may not be an arbiter
 *   of its merchant's offerings.)
 * - C1's booking in the slot after the early one can be settled by anyone.
 * - R holds an ETH credit and a stablecoin allowance; when `warm`, it has re-entered once already, so its counters
 *   are warm and its bookkeeping fits in PUSH_GAS.
 */
async function deployWorld(warm: boolean) {
  const f = await deployWithOfferings();
  const { escrow, merchant, customer: c1, customer2: c2, stranger, grid } = f;
  const r = await viem.deployContract("ReentrantReceiver");
  const books = new Books();
  const call = (data: Hex, sender = stranger): Promise<Hash> => viaContract(f, r, data, sender);

  await f.stablecoin.write.mint([r.address, 1_000_000_000n]);
  await mined(
    f,
    r.write.execute([
      f.stablecoin.address,
      encodeFunctionData({ abi: f.stablecoin.abi, functionName: "approve", args: [escrow.address, maxUint256] }),
    ]),
  );
  await mined(
    f,
    call(encodeFunctionData({ abi: escrow.abi, functionName: "registerMerchant", args: [r.address, "Re-entry"] })),
  );
  await mined(
    f,
    call(
      encodeFunctionData({
        abi: escrow.abi,
        functionName: "createOffering",
        args: [terms(grid)],
      }),
    ),
  );
  const [, , , , , , , , merchant2, payout2] = await viem.getWalletClients();
  await mined(
    f,
    escrow.write.registerMerchant([payout2.account.address, "Other Place"], { account: merchant2.account }),
  );
  await mined(
    f,
    escrow.write.createOffering([terms(grid, { arbiter: r.address, arbiterTimeout: 3 * DAY })], {
      account: merchant2.account,
    }),
  );
  assert.equal(await escrow.read.offeringCount(), 4);

  const s1 = await slotInDays(grid, 2);
  const s1b = s1 + SLOT_LENGTH;
  const s2 = await slotInDays(grid, 30);
  const t = settlesAt({ slotStart: s1b }, TIMING) + HOUR;
  const s3 = s1 + 66 * HOUR; // 37 h after T: the 50 % tier
  assert.ok(s3 - t >= 24 * HOUR && s3 - t < 48 * HOUR);

  const booked = async (offeringId: number, slot: number, who: Wallet | Executor): Promise<bigint> => {
    const { id } = await book(f, offeringId, slot, 1, who);
    books.booked(id, ETH, DEPOSIT);
    return id;
  };
  const ids = {
    rDisputed: await booked(1, s1, r),
    rNoShow: await booked(1, s1, r),
    c1Disputed: await booked(1, s1, c1),
    c1NoShow: await booked(1, s1, c1),
    c2Claimed: await booked(1, s1b, c2),
    c1Settle: await booked(1, s1b, c1),
    rOpen: await booked(1, s2, r),
    rCancelled: await booked(1, s2, r),
    rMerchantCancelled: await booked(1, s2, r),
    rCredit: await booked(1, s2, r),
    c1Partial: await booked(1, s3, c1),
    o3Settled: await booked(3, s1, c2),
    o3Open: await booked(3, s2, c2),
    o4Disputed: await booked(4, s1, c1),
  };

  // R's credit: while R calls a gas burner, any push to it runs dry and is credited instead.
  await deployGasBurner(BURNER);
  await r.write.setReentry([BURNER, "0x00"]);
  await mined(f, escrow.write.cancelByMerchant([ids.rCredit], { account: merchant.account }));
  books.settle(ids.rCredit, Status.MerchantCancelled, 10_000n);
  books.credit(ETH, r.address, DEPOSIT);
  assert.equal(await escrow.read.credits([ETH, r.address]), DEPOSIT);

  await networkHelpers.time.setNextBlockTimestamp(s1 + HOUR);
  await mined(
    f,
    call(encodeFunctionData({ abi: escrow.abi, functionName: "dispute", args: [ids.rDisputed, "re-entry"] })),
  );
  await mined(f, escrow.write.dispute([ids.c1Disputed, "cold soup"], { account: c1.account }));
  await mined(f, escrow.write.dispute([ids.o4Disputed, "no table"], { account: c1.account }));
  books.disputed(ids.rDisputed);
  books.disputed(ids.c1Disputed);
  books.disputed(ids.o4Disputed);

  // An ETH fee owed, from a claim of C2's no-show.
  await networkHelpers.time.setNextBlockTimestamp(t);
  await mined(f, escrow.write.claim([[ids.c2Claimed]], { account: merchant.account }));
  books.settle(ids.c2Claimed, Status.NoShow, NO_SHOW_BPS);

  if (warm) {
    // Warm R's counters with one harmless call-back (an empty claim), made with full gas: its bookkeeping then
    // fits in PUSH_GAS, so pushes reach the call-back. A cold R runs out of PUSH_GAS and is credited instead.
    await r.write.setReentry([
      escrow.address,
      encodeFunctionData({ abi: escrow.abi, functionName: "claim", args: [[]] }),
    ]);
    await mined(f, stranger.sendTransaction({ to: r.address, value: 1n }));
    assert.equal(await r.read.attempts(), 1n);
  } else {
    assert.equal(await r.read.attempts(), 0n);
  }
  assert.equal(await r.read.successes(), 0n);

  const accounts: Address[] = [r.address, ...fixtureAccounts(f), merchant2.account.address, payout2.account.address];
  return { f, r, payout2, ids, s1, s2, s3, t, books, accounts };
}

type World = Awaited<ReturnType<typeof deployWorld>>;

/** The world with a receiver whose storage is warm: it calls back even within PUSH_GAS. */
async function deployWarmWorld(): Promise<World> {
  return deployWorld(true);
}

/** The world with a receiver whose storage is cold: within PUSH_GAS its bookkeeping runs dry. */
async function deployColdWorld(): Promise<World> {
  return deployWorld(false);
}

/** What one outer transaction should pay: account, amount, and whether it comes out of the account's credit. */
type Payments = Array<[Address, bigint] | [Address, bigint, "fromCredit"]>;

type Path = {
  name: string;
  /** True when the receiver is paid with all remaining gas (its own withdraw), not with PUSH_GAS. */
  fullGas?: boolean;
  prepare?: (w: World) => Promise<void>;
  /** Updates the ledger and sends the outer transaction; returns it, its sender and what it must pay. */
  act: (w: World, books: Books) => { hash: Promise<Hash>; sender: Address; payments: Payments };
};

const payoutToReceiver = async (w: World): Promise<void> => {
  await mined(w.f, w.f.escrow.write.updateMerchant([w.r.address, "Chez Earnest"], { account: w.f.merchant.account }));
};

const PATHS: Path[] = [
  {
    name: "a customer cancel's refund to a contract customer",
    act: (w, books) => {
      const s = books.settle(w.ids.rCancelled, Status.CustomerCancelled, 10_000n);
      assert.equal(s.merchantShare, 0n);
      return {
        hash: viaContract(
          w.f,
          w.r,
          encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancel", args: [w.ids.rCancelled] }),
        ),
        sender: w.f.stranger.account.address,
        payments: [[w.r.address, s.customerShare]],
      };
    },
  },
  {
    name: "a customer cancel's merchant share to a contract payout",
    prepare: payoutToReceiver,
    act: (w, books) => {
      const s = books.settle(w.ids.c1Partial, Status.CustomerCancelled, 5_000n);
      return {
        hash: w.f.escrow.write.cancel([w.ids.c1Partial], { account: w.f.customer.account }),
        sender: w.f.customer.account.address,
        payments: [
          [w.f.customer.account.address, s.customerShare],
          [w.r.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "cancelByMerchant's refund to a contract customer",
    act: (w, books) => {
      const s = books.settle(w.ids.rMerchantCancelled, Status.MerchantCancelled, 10_000n);
      return {
        hash: w.f.escrow.write.cancelByMerchant([w.ids.rMerchantCancelled], { account: w.f.merchant.account }),
        sender: w.f.merchant.account.address,
        payments: [[w.r.address, s.customerShare]],
      };
    },
  },
  {
    name: "resolve's customer share to a contract customer",
    act: (w, books) => {
      const s = books.settle(w.ids.rDisputed, Status.Resolved, 6_000n);
      return {
        hash: w.f.escrow.write.resolve([w.ids.rDisputed, 6_000], { account: w.f.arbiter.account }),
        sender: w.f.arbiter.account.address,
        payments: [
          [w.r.address, s.customerShare],
          [w.f.payout.account.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "resolve's merchant share to a contract payout",
    prepare: payoutToReceiver,
    act: (w, books) => {
      const s = books.settle(w.ids.c1Disputed, Status.Resolved, 3_000n);
      return {
        hash: w.f.escrow.write.resolve([w.ids.c1Disputed, 3_000], { account: w.f.arbiter.account }),
        sender: w.f.arbiter.account.address,
        payments: [
          [w.f.customer.account.address, s.customerShare],
          [w.r.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "claim's payout to a contract payout address",
    prepare: payoutToReceiver,
    act: (w, books) => {
      const s = books.settle(w.ids.c1NoShow, Status.NoShow, NO_SHOW_BPS);
      return {
        hash: w.f.escrow.write.claim([[w.ids.c1NoShow]], { account: w.f.merchant.account }),
        sender: w.f.merchant.account.address,
        payments: [
          [w.f.customer.account.address, s.customerShare],
          [w.r.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "claim's no-show refund to a contract customer",
    act: (w, books) => {
      const s = books.settle(w.ids.rNoShow, Status.NoShow, NO_SHOW_BPS);
      return {
        hash: w.f.escrow.write.claim([[w.ids.rNoShow]], { account: w.f.merchant.account }),
        sender: w.f.merchant.account.address,
        payments: [
          [w.r.address, s.customerShare],
          [w.f.payout.account.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "a contract merchant's own claim paid to itself",
    act: (w, books) => {
      const s = books.settle(w.ids.o3Settled, Status.NoShow, NO_SHOW_BPS);
      return {
        hash: viaContract(
          w.f,
          w.r,
          encodeFunctionData({ abi: w.f.escrow.abi, functionName: "claim", args: [[w.ids.o3Settled]] }),
        ),
        sender: w.f.stranger.account.address,
        payments: [
          [w.f.customer2.account.address, s.customerShare],
          [w.r.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "a stranger's settle paying a contract customer's no-show share",
    act: (w, books) => {
      const s = books.settle(w.ids.rNoShow, Status.NoShow, NO_SHOW_BPS);
      return {
        hash: w.f.escrow.write.settle([w.ids.rNoShow], { account: w.f.stranger.account }),
        sender: w.f.stranger.account.address,
        payments: [
          [w.r.address, s.customerShare],
          [w.f.payout.account.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "a stranger's settle paying a contract payout",
    prepare: payoutToReceiver,
    act: (w, books) => {
      const s = books.settle(w.ids.c1NoShow, Status.NoShow, NO_SHOW_BPS);
      return {
        hash: w.f.escrow.write.settle([w.ids.c1NoShow], { account: w.f.stranger.account }),
        sender: w.f.stranger.account.address,
        payments: [
          [w.f.customer.account.address, s.customerShare],
          [w.r.address, s.merchantShare],
        ],
      };
    },
  },
  {
    name: "withdraw of a contract's credit",
    fullGas: true,
    act: (w, books) => {
      const amount = books.withdrew(ETH, w.r.address);
      assert.equal(amount, DEPOSIT);
      return {
        hash: viaContract(
          w.f,
          w.r,
          encodeFunctionData({ abi: w.f.escrow.abi, functionName: "withdraw", args: [ETH, w.r.address] }),
        ),
        sender: w.f.stranger.account.address,
        payments: [[w.r.address, amount, "fromCredit"]],
      };
    },
  },
  {
    name: "withdrawFees to a contract fee recipient",
    prepare: async (w) => {
      await mined(w.f, w.f.escrow.write.setFeeRecipient([w.r.address], { account: w.f.owner.account }));
    },
    act: (w, books) => {
      const amount = books.feesWithdrawn(ETH);
      assert.ok(amount > 0n);
      return {
        hash: w.f.escrow.write.withdrawFees([ETH], { account: w.f.stranger.account }),
        sender: w.f.stranger.account.address,
        payments: [[w.r.address, amount]],
      };
    },
  },
];

type Target = {
  name: string;
  data: (w: World) => Hex;
  /** Records in the ledger what the call does when the receiver makes it on its own; returns what it pays. */
  standalone: (w: World, books: Books) => Payments;
};

const TARGETS: Target[] = [
  {
    name: "cancel",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancel", args: [w.ids.rOpen] }),
    standalone: (w, books) => [
      [w.r.address, books.settle(w.ids.rOpen, Status.CustomerCancelled, 10_000n).customerShare],
    ],
  },
  {
    name: "cancelByMerchant",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancelByMerchant", args: [w.ids.o3Open] }),
    standalone: (w, books) => [
      [w.f.customer2.account.address, books.settle(w.ids.o3Open, Status.MerchantCancelled, 10_000n).customerShare],
    ],
  },
  {
    name: "claim",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "claim", args: [[w.ids.o3Settled]] }),
    standalone: (w, books) => {
      const s = books.settle(w.ids.o3Settled, Status.NoShow, NO_SHOW_BPS);
      return [
        [w.f.customer2.account.address, s.customerShare],
        [w.r.address, s.merchantShare],
      ];
    },
  },
  {
    name: "withdraw",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "withdraw", args: [ETH, w.r.address] }),
    standalone: (w, books) => [[w.r.address, books.withdrew(ETH, w.r.address), "fromCredit"]],
  },
  {
    name: "book",
    data: (w) =>
      encodeFunctionData({ abi: w.f.escrow.abi, functionName: "book", args: [2, w.s2, 1, detailsHash("re-entry")] }),
    standalone: () => [],
  },
  {
    name: "resolve",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "resolve", args: [w.ids.o4Disputed, 5_000] }),
    standalone: (w, books) => {
      const s = books.settle(w.ids.o4Disputed, Status.Resolved, 5_000n);
      return [
        [w.f.customer.account.address, s.customerShare],
        [w.payout2.account.address, s.merchantShare],
      ];
    },
  },
  {
    name: "settle",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "settle", args: [w.ids.c1Settle] }),
    standalone: (w, books) => {
      const s = books.settle(w.ids.c1Settle, Status.NoShow, NO_SHOW_BPS);
      return [
        [w.f.customer.account.address, s.customerShare],
        [w.f.payout.account.address, s.merchantShare],
      ];
    },
  },
  {
    name: "withdrawFees",
    data: (w) => encodeFunctionData({ abi: w.f.escrow.abi, functionName: "withdrawFees", args: [ETH] }),
    standalone: (w, books) => [[w.f.feeRecipient.account.address, books.feesWithdrawn(ETH)]],
  },
];

/** Asserts every account got exactly its payment (pushed or credited) and returns how the receiver was paid. */
function settleUp(
  w: World,
  books: Books,
  before: Awaited<ReturnType<typeof holdings>>,
  after: Awaited<ReturnType<typeof holdings>>,
  payments: Payments,
  sender: Address,
  gas: bigint,
): "pushed" | "credited" | "nothing" {
  let receiverPaid: "pushed" | "credited" | "nothing" = "nothing";
  for (const account of w.accounts) {
    const mine = payments.filter(([to]) => to.toLowerCase() === account.toLowerCase());
    const expected = mine.reduce((sum, [, amount]) => sum + amount, 0n);
    const withdrawn = mine.reduce((sum, [, amount, from]) => sum + (from === "fromCredit" ? amount : 0n), 0n);
    const how = received(books, ETH, before, after, account, expected, account === sender ? gas : 0n, withdrawn);
    if (account === w.r.address) receiverPaid = how;
  }
  return receiverPaid;
}

/** Seats left in the slot the `book` call-back targets (stablecoin offering 2, 10 seats, nothing booked). */
async function usdSeatsLeft(w: World): Promise<bigint> {
  return w.f.escrow.read.seatsLeft([2, w.s2]);
}

/** Every path × every call-back, from `fixture`'s world. */
function attackTable(fixture: () => Promise<World>, receiver: string): void {
  for (const path of PATHS) {
    for (const target of TARGETS) {
      it(`${path.name} cannot be re-entered through ${target.name} (${receiver} receiver)`, async () => {
        const w = await networkHelpers.loadFixture(fixture);
        const books = w.books.clone();
        await path.prepare?.(w);
        await w.r.write.setReentry([w.f.escrow.address, target.data(w)]);
        const attemptsBefore = await w.r.read.attempts();
        const before = await holdings(w.f, ETH, w.accounts);

        const { hash, sender, payments } = path.act(w, books);
        const receipt = await mined(w.f, hash);

        const after = await holdings(w.f, ETH, w.accounts);
        const receiverPaid = settleUp(w, books, before, after, payments, sender, gasCost(receipt));
        assert.notEqual(receiverPaid, "nothing");
        assert.equal(await w.r.read.successes(), 0n);
        const attempts = (await w.r.read.attempts()) - attemptsBefore;
        if (receiverPaid === "pushed") {
          // The receiver ran to the end: it called back once, and the guard refused it.
          assert.equal(attempts, 1n);
          assert.equal(await w.r.read.lastError(), REENTRANCY_SELECTOR);
        } else {
          // The receiver ran out of PUSH_GAS: its call-back was rolled back with it and the amount credited.
          assert.equal(path.fullGas ?? false, false);
          assert.equal(attempts, 0n);
          const owed = payments.filter(([to]) => to === w.r.address).reduce((sum, [, amount]) => sum + amount, 0n);
          assert.deepEqual(
            creditedEvents(w.f.escrow, receipt).filter(([, account]) => account === w.r.address.toLowerCase()),
            [[ETH, w.r.address.toLowerCase(), owed]],
          );
        }
        if (path.fullGas) assert.equal(receiverPaid, "pushed");

        assert.equal(await usdSeatsLeft(w), USD_SEATS);
        await books.check(w.f, [ETH, w.f.stablecoin.address], w.accounts);
      });
    }
  }
}

describe("attacks: re-entrancy through every path that sends ETH", () => {
  attackTable(deployWarmWorld, "warm");
  attackTable(deployColdWorld, "cold");

  for (const target of TARGETS) {
    it(`cannot call ${target.name} back, though the receiver may call it on its own`, async () => {
      // The control: the very calldata each call-back uses succeeds outside a payout, so only the guard stops it.
      const w = await networkHelpers.loadFixture(deployWarmWorld);
      const books = w.books.clone();
      await w.r.write.setReentry([w.f.escrow.address, "0x"]);
      const before = await holdings(w.f, ETH, w.accounts);
      const payments = target.standalone(w, books);
      const receipt = await mined(w.f, viaContract(w.f, w.r, target.data(w)));
      const after = await holdings(w.f, ETH, w.accounts);
      settleUp(w, books, before, after, payments, w.f.stranger.account.address, gasCost(receipt));
      if (target.name === "book") {
        assert.equal(await usdSeatsLeft(w), USD_SEATS - 1n);
        assert.equal(await w.f.stablecoin.read.balanceOf([w.f.escrow.address]), 25_000_000n);
        await books.check(w.f, [ETH], w.accounts);
      } else {
        await books.check(w.f, [ETH, w.f.stablecoin.address], w.accounts);
      }
    });
  }

  it("cannot be refunded twice by cancelling the same booking again from the refund", async () => {
    const w = await networkHelpers.loadFixture(deployWarmWorld);
    const books = w.books.clone();
    const cancelData = encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancel", args: [w.ids.rCancelled] });
    await w.r.write.setReentry([w.f.escrow.address, cancelData]);
    const before = await holdings(w.f, ETH, w.accounts);
    const s = books.settle(w.ids.rCancelled, Status.CustomerCancelled, 10_000n);
    const receipt = await mined(w.f, viaContract(w.f, w.r, cancelData));
    const after = await holdings(w.f, ETH, w.accounts);
    settleUp(w, books, before, after, [[w.r.address, s.customerShare]], w.f.stranger.account.address, gasCost(receipt));
    assert.equal(await w.r.read.successes(), 0n);
    await books.check(w.f, [ETH], w.accounts);
    // And afterwards, outside any payout, the same cancel is refused by the booking's status.
    await viem.assertions.revertWithCustomErrorWithArgs(viaContract(w.f, w.r, cancelData), w.f.escrow, "WrongStatus", [
      w.ids.rCancelled,
      Status.CustomerCancelled,
    ]);
  });

  it("cannot re-enter from a warm receiver within PUSH_GAS without the guard refusing it", async () => {
    // Shows the PUSH_GAS tests above are not vacuous: a receiver whose counters are warm does call back within the
    // 50,000 gas of a push (and is then paid, not credited), and what stops it is the re-entrancy guard.
    const w = await networkHelpers.loadFixture(deployWarmWorld);
    const attemptsBefore = await w.r.read.attempts();
    await w.r.write.setReentry([
      w.f.escrow.address,
      encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancel", args: [w.ids.rOpen] }),
    ]);
    await mined(w.f, w.f.escrow.write.cancelByMerchant([w.ids.rMerchantCancelled], { account: w.f.merchant.account }));
    assert.equal((await w.r.read.attempts()) - attemptsBefore, 1n);
    assert.equal(await w.r.read.successes(), 0n);
    assert.equal(await w.r.read.lastError(), REENTRANCY_SELECTOR);
    assert.equal(await w.f.escrow.read.credits([ETH, w.r.address]), DEPOSIT); // only the fixture's credit
  });

  it("cannot be paid twice by listing the same booking twice in one claim", async () => {
    const w = await networkHelpers.loadFixture(deployWarmWorld);
    const books = w.books.clone();
    const before = await holdings(w.f, ETH, w.accounts);
    // The second entry is settled by then, so the claim skips it, as it skips a booking someone else settled.
    const s = books.settle(w.ids.c1NoShow, Status.NoShow, NO_SHOW_BPS);
    const receipt = await mined(
      w.f,
      w.f.escrow.write.claim([[w.ids.c1NoShow, w.ids.c1NoShow]], { account: w.f.merchant.account }),
    );
    const after = await holdings(w.f, ETH, w.accounts);
    const payments: Payments = [
      [w.f.customer.account.address, s.customerShare],
      [w.f.payout.account.address, s.merchantShare],
    ];
    settleUp(w, books, before, after, payments, w.f.merchant.account.address, gasCost(receipt));
    const settled = parseEventLogs({ abi: w.f.escrow.abi, eventName: "Settled", logs: receipt.logs });
    assert.deepEqual(
      settled.map((e) => e.args.bookingId),
      [w.ids.c1NoShow],
    );
    await books.check(w.f, [ETH], w.accounts);
  });

  it("cannot be starved into a credit by a caller who picks a tight gas limit", async () => {
    // The merchant cancels a booking of the (warm) receiver with every gas limit from too little to plenty: each
    // attempt either runs out of gas as a whole or pushes the refund; none leaves the receiver a credit instead.
    const w = await networkHelpers.loadFixture(deployWarmWorld);
    await w.r.write.setReentry([
      w.f.escrow.address,
      encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancel", args: [w.ids.rOpen] }),
    ]);
    const balance = await w.f.publicClient.getBalance({ address: w.r.address });
    let succeeded = 0;
    for (let gas = 40_000n; gas <= 160_000n; gas += 1_000n) {
      const snapshot = await networkHelpers.takeSnapshot();
      let ok: boolean;
      try {
        const hash = await w.f.escrow.write.cancelByMerchant([w.ids.rMerchantCancelled], {
          account: w.f.merchant.account,
          gas,
        });
        ok = (await w.f.publicClient.waitForTransactionReceipt({ hash })).status === "success";
      } catch {
        ok = false;
      }
      if (ok) {
        succeeded += 1;
        assert.equal(await w.f.escrow.read.credits([ETH, w.r.address]), DEPOSIT, `credited at gas ${gas}`);
        assert.equal(await w.f.publicClient.getBalance({ address: w.r.address }), balance + DEPOSIT);
      } else {
        assert.equal((await w.f.escrow.read.getBooking([w.ids.rMerchantCancelled])).status, Status.Booked);
      }
      await snapshot.restore();
    }
    assert.ok(succeeded > 0 && succeeded < 121, `${succeeded} of 121 gas limits succeeded`);
  });
});
