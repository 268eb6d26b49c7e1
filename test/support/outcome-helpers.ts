// Helpers for the outcome tests (cancel, cancel-by-merchant, check-in, dispute, resolve, claim, withdraw).
import assert from "node:assert/strict";
import { parseEther, parseEventLogs, zeroAddress, type Address, type Hash } from "viem";
import {
  DAY,
  deployWithOfferings,
  detailsHash,
  FEE_BPS,
  networkHelpers,
  slotInDays,
  Status,
  terms,
  viem,
} from "./fixture.js";

export type Fixture = Awaited<ReturnType<typeof deployWithOfferings>>;
export type Wallet = Fixture["customer"];

/** Native ETH as the escrow names it. */
export const ETH: Address = zeroAddress;
/** Deposit per seat of offering 1 (ETH). */
export const ETH_DEPOSIT = parseEther("0.01");
/** Deposit per seat of offering 2 (stablecoin, 6 decimals). */
export const USD_DEPOSIT = 25_000_000n;
/** No-show refund share of the fixture's offerings. */
export const NO_SHOW_BPS = 2_000n;
/** Arbiter timeout of offering 1. */
export const ARBITER_TIMEOUT = 3 * DAY;
/** Dispute window of the fixture's offerings. */
export const DISPUTE_WINDOW = DAY;
/** Slot length of the fixture's offerings. */
export const SLOT_LENGTH = 2 * 3600;
/** How long before its start a booking can be checked in. */
export const CHECK_IN_OPENS = 3600;

export type Shares = { customerShare: bigint; merchantShare: bigint; fee: bigint };

/**
 * The split rule, written out independently of the contract: the customer's share rounds down, the fee is taken
 * (rounded down) from the merchant's gross share, and the merchant gets the rest. Asserts the three sum to `amount`.
 */
export function expectedSplit(amount: bigint, refundBps: bigint | number, feeBps: bigint | number = FEE_BPS): Shares {
  const customerShare = (amount * BigInt(refundBps)) / 10_000n;
  const fee = ((amount - customerShare) * BigInt(feeBps)) / 10_000n;
  const merchantShare = amount - customerShare - fee;
  assert.equal(customerShare + merchantShare + fee, amount);
  return { customerShare, merchantShare, fee };
}

export type Booked = { id: bigint; amount: bigint; hash: Hash };

/**
 * Books `seats` seats of `offeringId` at `slotStart` for `customer`, paying in ETH or (after an approval) in the
 * offering's token. Returns the id and amount read from the `Booked` event.
 */
export async function book(
  f: Fixture,
  offeringId: number,
  slotStart: number,
  seats: number,
  customer: Wallet = f.customer,
): Promise<Booked> {
  const offering = await f.escrow.read.getOffering([offeringId]);
  const due = offering.depositPerSeat * BigInt(seats);
  let hash: Hash;
  if (offering.token === zeroAddress) {
    hash = await f.escrow.write.book([offeringId, slotStart, seats, detailsHash(`${offeringId}:${slotStart}`)], {
      account: customer.account,
      value: due,
    });
  } else {
    const token = await viem.getContractAt("MockStablecoin", offering.token);
    await token.write.approve([f.escrow.address, due], { account: customer.account });
    hash = await f.escrow.write.book([offeringId, slotStart, seats, detailsHash(`${offeringId}:${slotStart}`)], {
      account: customer.account,
    });
  }
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
  assert.equal(event.args.amount, due);
  return { id: event.args.bookingId, amount: event.args.amount, hash };
}

/** The next transaction's block gets exactly timestamp `t`. */
export async function atTime(t: number | bigint): Promise<void> {
  await networkHelpers.time.setNextBlockTimestamp(t);
}

/** ETH balance of an address. */
export async function ethBalance(f: Fixture, address: Address): Promise<bigint> {
  return f.publicClient.getBalance({ address });
}

/** Waits for a transaction and returns its receipt, asserting success. */
export async function mined(f: Fixture, hash: Hash | Promise<Hash>) {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash: await hash });
  assert.equal(receipt.status, "success");
  return receipt;
}

/** The `Settled` events of a transaction, in order. */
export async function settledEvents(f: Fixture, hash: Hash) {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi: f.escrow.abi, eventName: "Settled", logs: receipt.logs }).map((log) => log.args);
}

/** When a booking of a fixture offering can be claimed: slot end plus the dispute window. */
export function settlesAt(slotStart: number): number {
  return slotStart + SLOT_LENGTH + DISPUTE_WINDOW;
}

/** The fixture, plus a second registered merchant (the `stranger` wallet is left free) with its own ETH offering 3. */
/** One booking in each settled state (claimed as a no-show, both cancels, resolved), with the status it ended in. */
export async function settledBookings(f: Fixture): Promise<Array<[bigint, number]>> {
  const slot = await slotInDays(f.grid, 3);
  const claimed = await book(f, f.ethOffering, slot, 1);
  const cancelled = await book(f, f.ethOffering, slot, 1);
  const merchantCancelled = await book(f, f.ethOffering, slot, 1);
  const resolved = await book(f, f.ethOffering, slot, 1, f.customer2);
  await f.escrow.write.cancel([cancelled.id], { account: f.customer.account });
  await f.escrow.write.cancelByMerchant([merchantCancelled.id], { account: f.merchant.account });
  await atTime(slot);
  await f.escrow.write.dispute([resolved.id], { account: f.customer2.account });
  await f.escrow.write.resolve([resolved.id, 3_550], { account: f.arbiter.account });
  await atTime(settlesAt(slot));
  await f.escrow.write.claim([[claimed.id]], { account: f.merchant.account });
  return [
    [claimed.id, Status.NoShow],
    [cancelled.id, Status.CustomerCancelled],
    [merchantCancelled.id, Status.MerchantCancelled],
    [resolved.id, Status.Resolved],
  ];
}

export async function deployWithTwoMerchants() {
  const f = await deployWithOfferings();
  const [, , , , , , , , merchant2, payout2] = await viem.getWalletClients();
  await f.escrow.write.registerMerchant([payout2.account.address, "Other Place"], { account: merchant2.account });
  await f.escrow.write.createOffering([terms(f.grid)], { account: merchant2.account });
  return { ...f, merchant2, payout2, otherOffering: 3 };
}

/**
 * The fixture plus offerings with odd deposits, so that every rounding in the split shows:
 * offering 3 = ETH, 1_000_000_000_000_007 wei a seat, arbiter, tiers 48 h → 100 %, 24 h → 33.33 %, 1 h → 7.77 %;
 * offering 4 = stablecoin, 12.345679 a seat, arbiter, the default tiers.
 */
export async function deployWithOddOfferings() {
  const f = await deployWithOfferings();
  const arbiter = f.arbiter.account.address;
  await f.escrow.write.createOffering(
    [
      terms(f.grid, {
        depositPerSeat: ODD_ETH_DEPOSIT,
        arbiter,
        arbiterTimeout: ARBITER_TIMEOUT,
        noShowRefundBps: 1_111,
        cancellationTiers: [
          { secondsBeforeStart: 48 * 3600, refundBps: 10_000 },
          { secondsBeforeStart: 24 * 3600, refundBps: 3_333 },
          { secondsBeforeStart: 3600, refundBps: 777 },
        ],
      }),
    ],
    { account: f.merchant.account },
  );
  await f.escrow.write.createOffering(
    [
      terms(f.grid, {
        token: f.stablecoin.address,
        depositPerSeat: ODD_USD_DEPOSIT,
        arbiter,
        arbiterTimeout: ARBITER_TIMEOUT,
      }),
    ],
    { account: f.merchant.account },
  );
  return { ...f, oddEthOffering: 3, oddTokenOffering: 4 };
}
export const ODD_ETH_DEPOSIT = 1_000_000_000_000_007n;
export const ODD_USD_DEPOSIT = 12_345_679n;

/** Deploys a RevertingReceiver (refuses ETH) and gives it 10 ETH to book with. */
export async function deployRevertingReceiver() {
  const receiver = await viem.deployContract("RevertingReceiver");
  await networkHelpers.setBalance(receiver.address, parseEther("10"));
  return receiver;
}
