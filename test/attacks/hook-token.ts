// Finding 5 of issue 12: a token that calls a hook on its recipients (as ERC-777 and ERC-1363 tokens do) let one
// customer, whose hook burns all the gas it is given, make the merchant's claim of two bookings need 937,841 gas
// instead of 116,198, and two such customers push a batch past the chain's per-transaction gas cap. Every token push
// now carries TOKEN_PUSH_GAS: a hook can spend that stipend and no more, its push fails, and its share becomes a
// credit. Each comparison below runs the same transaction in two copies of one world that differ only in whether the
// recipient registered its hook.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeFunctionData,
  getAddress,
  maxUint256,
  parseEventLogs,
  type Address,
  type Hash,
  type TransactionReceipt,
} from "viem";
import type { ContractReturnType } from "@nomicfoundation/hardhat-viem/types";
import { settlesAt } from "@earnest/sdk";
import { inOneBlock } from "../support/attackers.js";
import { bookedEvent } from "../support/booking.js";
import { Books, expectMovements, type Movement } from "../support/books.js";
import { mined } from "../support/chain.js";
import {
  createTokenOffering,
  deployWithOfferings,
  detailsHash,
  networkHelpers,
  NO_SHOW_BPS,
  slotInDays,
  Status,
  TIMING,
  viem,
} from "../support/fixture.js";

type HookReceiver = ContractReturnType<"HookReceiver">;

/** Gas of one token push (IPayouts.TOKEN_PUSH_GAS), restated from the brief of issue 12. */
const TOKEN_PUSH_GAS = 100_000n;
/**
 * What a refused push costs beyond its stipend: recording the credit, a zero-to-nonzero write of a cold slot
 * (20,000 + 2,100 under EIP-2929), and the `Credited` log (LOG3 with one data word: 375 + 3 × 375 + 8 × 32 =
 * 1,756); 23,856 in all, rounded up. The successful push it replaces in the other copy costs more than nothing, so
 * the difference between the two copies can only be smaller.
 */
const CREDIT_MARGIN = 25_000n;
/** The per-transaction gas cap of EIP-7825 (2^24), which the finding's batch of two hook customers exceeded. */
const TX_GAS_CAP = 16_777_216n;
const DEPOSIT = 10n ** 18n; // 1 HOOK a seat
const OFFERING = 3;

async function deployHookWorld() {
  const f = await deployWithOfferings();
  const token = await viem.deployContract("HookToken");
  await createTokenOffering(f, token.address, { depositPerSeat: DEPOSIT, seatsPerSlot: 10 });
  const slot = await slotInDays(f.grid, 2);
  const books = new Books();
  const book = async (send: () => Promise<Hash>): Promise<bigint> => {
    const { bookingId } = await bookedEvent(f, send());
    books.booked(bookingId, token.address, DEPOSIT);
    return bookingId;
  };

  // An EOA customer, and two contract customers whose hooks each test registers, or not.
  await mined(f, token.write.mint([f.customer.account.address, 10n * DEPOSIT]));
  await mined(f, token.write.approve([f.escrow.address, maxUint256], { account: f.customer.account }));
  const eoaBooking = await book(() =>
    f.escrow.write.book([OFFERING, slot, 1, detailsHash("eoa")], { account: f.customer.account }),
  );
  const receivers: HookReceiver[] = [];
  const bookings: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    const receiver = await viem.deployContract("HookReceiver");
    await mined(f, token.write.mint([receiver.address, 10n * DEPOSIT]));
    await mined(
      f,
      receiver.write.execute([
        token.address,
        encodeFunctionData({ abi: token.abi, functionName: "approve", args: [f.escrow.address, maxUint256] }),
      ]),
    );
    const data = encodeFunctionData({
      abi: f.escrow.abi,
      functionName: "book",
      args: [OFFERING, slot, 1, detailsHash(`receiver ${i}`)],
    });
    bookings.push(await book(() => receiver.write.execute([f.escrow.address, data])));
    receivers.push(receiver);
  }
  // One more, holding no tokens, to be the merchant's payout address.
  const payoutContract = await viem.deployContract("HookReceiver");

  await networkHelpers.time.increaseTo(settlesAt({ slotStart: slot }, TIMING));
  const vault = (await viem.getWalletClients())[9];
  const accounts: Address[] = [
    f.customer.account.address,
    f.payout.account.address,
    f.feeRecipient.account.address,
    vault.account.address,
    ...receivers.map((r) => r.address),
    payoutContract.address,
  ];
  return { f, token, slot, eoaBooking, receivers, bookings, payoutContract, vault, accounts, books };
}

type World = Awaited<ReturnType<typeof deployHookWorld>>;

/** The world, with the hooks of the contracts `hooked` picks (customers or payout contracts) registered. */
async function load(hooked: (w: World) => HookReceiver[] = () => []): Promise<World> {
  const w = await networkHelpers.loadFixture(deployHookWorld);
  for (const receiver of hooked(w)) {
    const data = encodeFunctionData({ abi: w.token.abi, functionName: "setHook", args: [true] });
    await mined(w.f, receiver.write.execute([w.token.address, data]));
    assert.equal(await w.token.read.hasHook([receiver.address]), true);
  }
  return { ...w, books: w.books.clone() };
}

/** Runs `send`, asserts exactly `movements` happened in the hook token (and nothing else), returns the receipt. */
async function moves(w: World, send: () => Promise<Hash>, movements: Movement[]): Promise<TransactionReceipt> {
  const hash = await expectMovements(w.f, w.books, w.token.address, w.accounts, send, movements);
  return w.f.publicClient.waitForTransactionReceipt({ hash });
}

/** The `Credited` events of a receipt, as [account, amount]. */
function credited(w: World, receipt: TransactionReceipt): Array<[Address, bigint]> {
  return parseEventLogs({ abi: w.f.escrow.abi, eventName: "Credited", logs: receipt.logs }).map((e) => {
    assert.equal(e.args.token, getAddress(w.token.address));
    return [e.args.account, e.args.amount];
  });
}

/** Asserts that with `hooks` hooked recipients a transaction cost more than without by the better part of their
 *  stipends (so the hooks did burn gas), and by at most their stipends and credits. */
function assertBounded(hooked: bigint, plain: bigint, hooks: bigint): void {
  const extra = hooked - plain;
  assert.ok(extra > (hooks * TOKEN_PUSH_GAS) / 2n, `the hooks burnt only ${extra} gas`);
  assert.ok(extra <= hooks * (TOKEN_PUSH_GAS + CREDIT_MARGIN), `${extra} gas more than without hooks`);
}

describe("attacks: a token that calls a gas-burning hook on its recipient", () => {
  it("a hook burns whatever gas its transfer is given (the control: unbounded, it costs the sender everything)", async () => {
    const w = await load((w) => [w.receivers[0]]);
    const [hooked, plain] = w.receivers;
    assert.equal(await w.f.escrow.read.TOKEN_PUSH_GAS(), TOKEN_PUSH_GAS);
    const gas = 3_000_000n;
    const transfer = (to: Address) => () => w.token.write.transfer([to, 1n], { account: w.f.customer.account, gas });
    const [toHooked, toPlain] = await inOneBlock(w.f, [transfer(hooked.address), transfer(plain.address)]);
    assert.equal(toHooked.status, "reverted");
    // The hook gets 63/64 of what the token has left (EIP-150) and burns all of it.
    assert.ok(toHooked.gasUsed >= (gas * 63n) / 64n, `${toHooked.gasUsed} of ${gas}`);
    assert.equal(toPlain.status, "success");
    assert.ok(toPlain.gasUsed < TOKEN_PUSH_GAS);
  });

  it("a hook customer cannot make the merchant's claim of two bookings cost more than one stipend more", async () => {
    const claim = async (hook: boolean) => {
      const w = await load((w) => (hook ? [w.receivers[0]] : []));
      const [customer] = w.receivers;
      const eoa = w.books.settle(w.eoaBooking, Status.NoShow, NO_SHOW_BPS);
      const hooked = w.books.settle(w.bookings[0], Status.NoShow, NO_SHOW_BPS);
      const ids = [w.eoaBooking, w.bookings[0]];
      const receipt = await moves(w, () => w.f.escrow.write.claim([ids], { account: w.f.merchant.account }), [
        [w.f.customer.account.address, eoa.customerShare, "pushed"],
        [customer.address, hooked.customerShare, hook ? "credited" : "pushed"],
        [w.f.payout.account.address, eoa.merchantShare + hooked.merchantShare, "pushed"],
      ]);
      assert.deepEqual(credited(w, receipt), hook ? [[getAddress(customer.address), hooked.customerShare]] : []);
      return receipt.gasUsed;
    };
    assertBounded(await claim(true), await claim(false), 1n);
  });

  it("two hook customers in one claim cannot push it past the per-transaction gas cap", async () => {
    const claim = async (hook: boolean) => {
      const w = await load((w) => (hook ? w.receivers.slice(0, 2) : []));
      const ids = [w.bookings[0], w.eoaBooking, w.bookings[1]];
      const shares = ids.map((id) => w.books.settle(id, Status.NoShow, NO_SHOW_BPS));
      const how = hook ? "credited" : "pushed";
      const receipt = await moves(w, () => w.f.escrow.write.claim([ids], { account: w.f.merchant.account }), [
        [w.receivers[0].address, shares[0].customerShare, how],
        [w.f.customer.account.address, shares[1].customerShare, "pushed"],
        [w.receivers[1].address, shares[2].customerShare, how],
        [w.f.payout.account.address, shares.reduce((sum, s) => sum + s.merchantShare, 0n), "pushed"],
      ]);
      return receipt.gasUsed;
    };
    const hooked = await claim(true);
    assertBounded(hooked, await claim(false), 2n);
    assert.ok(hooked < TX_GAS_CAP, `${hooked} gas`);
  });

  it("a hook customer cannot make a stranger's settle of its booking cost more than one stipend more", async () => {
    const settle = async (hook: boolean) => {
      const w = await load((w) => (hook ? [w.receivers[0]] : []));
      const s = w.books.settle(w.bookings[0], Status.NoShow, NO_SHOW_BPS);
      const receipt = await moves(
        w,
        () => w.f.escrow.write.settle([w.bookings[0]], { account: w.f.stranger.account }),
        [
          [w.receivers[0].address, s.customerShare, hook ? "credited" : "pushed"],
          [w.f.payout.account.address, s.merchantShare, "pushed"],
        ],
      );
      return receipt.gasUsed;
    };
    assertBounded(await settle(true), await settle(false), 1n);
  });

  it("a hooked payout address cannot make the customer's own settle cost more than one stipend more", async () => {
    const settle = async (hook: boolean) => {
      const w = await load((w) => (hook ? [w.payoutContract] : []));
      const payout = w.payoutContract.address;
      await mined(w.f, w.f.escrow.write.updateMerchant([payout, "Chez Earnest"], { account: w.f.merchant.account }));
      const s = w.books.settle(w.eoaBooking, Status.NoShow, NO_SHOW_BPS);
      const receipt = await moves(w, () => w.f.escrow.write.settle([w.eoaBooking], { account: w.f.customer.account }), [
        [w.f.customer.account.address, s.customerShare, "pushed"],
        [payout, s.merchantShare, hook ? "credited" : "pushed"],
      ]);
      assert.deepEqual(credited(w, receipt), hook ? [[getAddress(payout), s.merchantShare]] : []);
      return receipt.gasUsed;
    };
    assertBounded(await settle(true), await settle(false), 1n);
  });

  it("a hook customer's credit cannot be lost: it withdraws it to an address without a hook", async () => {
    const w = await load((w) => [w.receivers[0]]);
    const [customer] = w.receivers;
    const s = w.books.settle(w.bookings[0], Status.NoShow, NO_SHOW_BPS);
    await moves(w, () => w.f.escrow.write.settle([w.bookings[0]], { account: w.f.stranger.account }), [
      [customer.address, s.customerShare, "credited"],
      [w.f.payout.account.address, s.merchantShare, "pushed"],
    ]);
    const withdraw = (to: Address) =>
      customer.write.execute([
        w.f.escrow.address,
        encodeFunctionData({ abi: w.f.escrow.abi, functionName: "withdraw", args: [w.token.address, to] }),
      ]);
    // To itself, the hook runs with all the gas of the customer's own transaction, and fails it.
    await viem.assertions.revertWithCustomErrorWithArgs(withdraw(customer.address), w.f.escrow, "TransferFailed", [
      getAddress(w.token.address),
      getAddress(customer.address),
      s.customerShare,
    ]);
    const amount = w.books.withdrew(w.token.address, customer.address);
    await moves(w, () => withdraw(w.vault.account.address), [
      [customer.address, amount, "withdrawn"],
      [w.vault.account.address, amount, "pushed"],
    ]);
  });
});
