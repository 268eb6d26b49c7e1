// Bookings made by EOAs or by contract accounts, and the Booked event that tells what a transaction booked.
import assert from "node:assert/strict";
import { encodeFunctionData, parseAbi, parseEventLogs, type Hash, type Hex, type TransactionReceipt } from "viem";
import { mined } from "./chain.js";
import {
  detailsHash,
  ETH,
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
