// Bookings made by EOAs or by contract accounts, the Booked event that tells what a transaction booked, and what a
// check-in must record.
import assert from "node:assert/strict";
import {
  encodeFunctionData,
  getAddress,
  parseAbi,
  parseEventLogs,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { atTime, balanceOf, mined, txTimestamp } from "./chain.js";
import {
  detailsHash,
  ETH,
  Status,
  viem,
  type Fixture,
  type ReentrantReceiver,
  type RevertingReceiver,
  type SmartWallet,
  type Wallet,
} from "./fixture.js";

/** A contract account that can act on the escrow through `execute(target, data)` (a SmartWallet only when its
 *  owner sends the call). */
export type Executor = ReentrantReceiver | RevertingReceiver | SmartWallet;

/** The `execute` function that the contract-account mocks share. */
const EXECUTE_ABI = parseAbi(["function execute(address target, bytes data) payable returns (bytes result)"]);

/** Makes a contract account call the escrow (through `execute`), sent and paid for by `sender`. */
export async function viaContract(
  f: Pick<Fixture, "escrow" | "stranger">,
  actor: Executor,
  data: Hex,
  sender: Wallet = f.stranger,
  value = 0n,
): Promise<Hash> {
  return sender.writeContract({
    address: actor.address,
    abi: EXECUTE_ABI,
    functionName: "execute",
    args: [f.escrow.address, data],
    value,
  });
}

/** The `Booked` event of a mined transaction (asserting there is exactly one). */
export function bookedIn(f: Pick<Fixture, "escrow">, receipt: TransactionReceipt) {
  const events = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
  assert.equal(events.length, 1);
  return events[0].args;
}

/** The `Booked` event of a transaction (asserting it succeeded and booked exactly once). */
export async function bookedEvent(f: Pick<Fixture, "escrow" | "publicClient">, hash: Hash | Promise<Hash>) {
  return bookedIn(f, await mined(f, hash));
}

export type Booked = Awaited<ReturnType<typeof bookedEvent>> & { id: bigint; hash: Hash };

/**
 * Books `seats` seats of `offeringId` at `slotStart` for `customer`, paying the exact deposit in ETH or (after an
 * approval) in the offering's token. A contract customer books ETH seats through `execute`, the value sent by
 * `payer`. Returns the `Booked` event (asserting the amount held is the deposit), its id and the transaction.
 */
export async function book(
  f: Fixture,
  offeringId: number,
  slotStart: number,
  seats: number,
  customer: Wallet | Executor = f.customer,
  payer: Wallet = f.stranger,
): Promise<Booked> {
  const offering = await f.escrow.read.getOffering([offeringId]);
  const due = offering.depositPerSeat * BigInt(seats);
  const args = [offeringId, slotStart, seats, detailsHash(`${offeringId}:${slotStart}`)] as const;
  let hash: Hash;
  if ("write" in customer) {
    assert.equal(offering.token, ETH, "a contract customer books ETH offerings");
    hash = await viaContract(
      f,
      customer,
      encodeFunctionData({ abi: f.escrow.abi, functionName: "book", args }),
      payer,
      due,
    );
  } else if (offering.token === ETH) {
    hash = await f.escrow.write.book(args, { account: customer.account, value: due });
  } else {
    const token = await viem.getContractAt("MockStablecoin", offering.token);
    await token.write.approve([f.escrow.address, due], { account: customer.account });
    hash = await f.escrow.write.book(args, { account: customer.account });
  }
  const event = await bookedEvent(f, hash);
  assert.equal(event.amount, due);
  return { ...event, id: event.bookingId, hash };
}

/** How a booking is checked in: the transaction, its exact time, who sends it and whether the customer signed. */
export type CheckIn = { send: () => Promise<Hash>; at: number; by: Wallet; customerSigned: boolean };

/**
 * Checks `booked` in with `check.send` at exactly `check.at`; asserts the `CheckedIn` event naming `check.by` and how
 * attendance was proven, the block time, the stored flag, that the booking is still open and that no funds moved.
 */
export async function expectCheckedIn(f: Fixture, booked: Booked, check: CheckIn): Promise<void> {
  const { token } = await f.escrow.read.getOffering([booked.offeringId]);
  const escrowBefore = await balanceOf(f, token, f.escrow.address);
  await atTime(check.at);
  const hash = await check.send();
  await viem.assertions.emitWithArgs(hash, f.escrow, "CheckedIn", [
    booked.id,
    getAddress(check.by.account.address),
    check.customerSigned,
  ]);
  assert.equal(await txTimestamp(f, hash), check.at);
  const view = await f.escrow.read.getBooking([booked.id]);
  assert.equal(view.checkedIn, true);
  assert.equal(view.status, Status.Booked);
  assert.equal(await balanceOf(f, token, f.escrow.address), escrowBefore);
}
