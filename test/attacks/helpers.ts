// Shared helpers of the attack tests: an independent ledger of what the escrow must hold, payment observation
// (pushed or credited, never both, never more), and small wrappers around bookings made by EOAs or contracts.
import assert from "node:assert/strict";
import type { ContractReturnType } from "@nomicfoundation/hardhat-viem/types";
import {
  encodeFunctionData,
  parseAbi,
  parseEventLogs,
  toFunctionSelector,
  zeroAddress,
  type Address,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { deployWithOfferings, detailsHash, FEE_BPS, networkHelpers, viem } from "../support/fixture.js";
import {
  couponDomain,
  couponTypes as COUPON_TYPES,
  noCoupon as NO_COUPON,
  permitArgs,
  permitTypes as PERMIT_TYPES,
  type Coupon,
  type PermitArgs as PermitArg,
} from "@earnest/sdk";

export { COUPON_TYPES, NO_COUPON, PERMIT_TYPES, type Coupon, type PermitArg };

export type Fixture = Awaited<ReturnType<typeof deployWithOfferings>>;
export type Escrow = Fixture["escrow"];
export type Wallet = Fixture["customer"];
export type PublicClient = Fixture["publicClient"];
export type Stablecoin = ContractReturnType<"MockStablecoin">;
export type ReentrantReceiver = ContractReturnType<"ReentrantReceiver">;
export type RevertingReceiver = ContractReturnType<"RevertingReceiver">;
export type BlocklistToken = ContractReturnType<"BlocklistToken">;
export type FeeOnTransferToken = ContractReturnType<"FeeOnTransferToken">;

/** Native ETH as the escrow names it. */
export const ETH: Address = zeroAddress;
/** Basis points in a whole. */
export const BPS = 10_000n;
/** The selector of OpenZeppelin's `ReentrancyGuardReentrantCall()`, what a guarded re-entry reverts with. */
export const REENTRANCY_SELECTOR: Hex = toFunctionSelector("ReentrancyGuardReentrantCall()");
/** Fixture constants, restated here so that expectations do not come from the contract. */
export const SLOT_LENGTH = 2 * 3600;
export const DISPUTE_WINDOW = 24 * 3600;
export const NO_SHOW_BPS = 2_000n;

export type Shares = { customerShare: bigint; merchantShare: bigint; fee: bigint };

/** The split rule written out independently: customer share and fee round down, the merchant gets the rest. */
export function split(amount: bigint, refundBps: bigint, feeBps: bigint = BigInt(FEE_BPS)): Shares {
  const customerShare = (amount * refundBps) / BPS;
  const fee = ((amount - customerShare) * feeBps) / BPS;
  return { customerShare, merchantShare: amount - customerShare - fee, fee };
}

/** When a booking in a fixture-style offering (2 h slots, 1 day dispute window) can be claimed. */
export function settlesAt(slotStart: number): number {
  return slotStart + SLOT_LENGTH + DISPUTE_WINDOW;
}

/** Gas paid by the sender of a mined transaction. */
export function gasCost(receipt: TransactionReceipt): bigint {
  return receipt.gasUsed * receipt.effectiveGasPrice;
}

/** Waits for a transaction, asserts it succeeded and returns the receipt. */
export async function mined(publicClient: PublicClient, hash: Hash | Promise<Hash>): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  assert.equal(receipt.status, "success");
  return receipt;
}

/** The id of the booking a transaction made (from its `Booked` event). */
export function bookedId(escrow: Escrow, receipt: TransactionReceipt): bigint {
  const events = parseEventLogs({ abi: escrow.abi, eventName: "Booked", logs: receipt.logs });
  assert.equal(events.length, 1);
  return events[0].args.bookingId;
}

/** The `Credited` events of a transaction, as [token, account (lower case), amount]. */
export function creditedEvents(escrow: Escrow, receipt: TransactionReceipt): Array<[Address, Address, bigint]> {
  return parseEventLogs({ abi: escrow.abi, eventName: "Credited", logs: receipt.logs }).map((e) => [
    e.args.token,
    e.args.account.toLowerCase() as Address,
    e.args.amount,
  ]);
}

/** A contract account that can act on the escrow through `execute(target, data)`. */
export type Executor = ReentrantReceiver | RevertingReceiver;

/** The `execute` function that both receiver mocks share. */
const EXECUTE_ABI = parseAbi(["function execute(address target, bytes data) payable returns (bytes result)"]);

/**
 * Books ETH seats for an EOA or a contract customer. A contract books through `execute`, the value sent by `payer`.
 * Returns the new booking's id.
 */
export async function bookEth(
  f: Fixture,
  offeringId: number,
  slotStart: number,
  seats: number,
  customer: Wallet | Executor,
  value: bigint,
  payer: Wallet = f.stranger,
): Promise<bigint> {
  const hash = detailsHash(`${offeringId}:${slotStart}:${seats}`);
  let tx: Promise<Hash>;
  if ("write" in customer) {
    const data = encodeFunctionData({
      abi: f.escrow.abi,
      functionName: "book",
      args: [offeringId, slotStart, seats, hash],
    });
    tx = viaContract(f, customer, data, payer, value);
  } else {
    tx = f.escrow.write.book([offeringId, slotStart, seats, hash], { account: customer.account, value });
  }
  return bookedId(f.escrow, await mined(f.publicClient, tx));
}

/** Makes a contract account call the escrow (through `execute`), sent and paid for by `sender`. */
export async function viaContract(
  f: Fixture,
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

/** A booking as the ledger knows it. */
type HeldBooking = { token: Address; amount: bigint; feeBps: bigint };

const key = (token: Address, account: Address): string => `${token.toLowerCase()}:${account.toLowerCase()}`;

/**
 * What the escrow must hold, kept independently of the contract: deposits of open bookings, credits and fees owed
 * per token, and each booking's expected status. `check` compares it with the chain and asserts, per token, that
 * the escrow's balance is exactly deposits held + credits + fees owed.
 */
export class Books {
  held = new Map<bigint, HeldBooking>();
  status = new Map<bigint, number>();
  fees = new Map<string, bigint>();
  credits = new Map<string, bigint>();

  clone(): Books {
    const copy = new Books();
    copy.held = new Map(this.held);
    copy.status = new Map(this.status);
    copy.fees = new Map(this.fees);
    copy.credits = new Map(this.credits);
    return copy;
  }

  booked(id: bigint, token: Address, amount: bigint, feeBps: bigint = BigInt(FEE_BPS)): void {
    assert.equal(this.status.has(id), false, `booking ${id} recorded twice`);
    this.held.set(id, { token, amount, feeBps });
    this.status.set(id, 1);
  }

  disputed(id: bigint): void {
    assert.equal(this.status.get(id), 1);
    this.status.set(id, 2);
  }

  /** Settles a held booking with `refundBps` to the customer; accrues the fee and returns the shares. */
  settle(id: bigint, outcome: number, refundBps: bigint): Shares & { token: Address } {
    const booking = this.held.get(id);
    assert.ok(booking, `booking ${id} is not held`);
    this.held.delete(id);
    this.status.set(id, outcome);
    const shares = split(booking.amount, refundBps, booking.feeBps);
    this.fees.set(booking.token.toLowerCase(), this.feeOf(booking.token) + shares.fee);
    return { ...shares, token: booking.token };
  }

  feeOf(token: Address): bigint {
    return this.fees.get(token.toLowerCase()) ?? 0n;
  }

  creditOf(token: Address, account: Address): bigint {
    return this.credits.get(key(token, account)) ?? 0n;
  }

  credit(token: Address, account: Address, amount: bigint): void {
    this.credits.set(key(token, account), this.creditOf(token, account) + amount);
  }

  /** The account withdrew its whole credit; returns what it was. */
  withdrew(token: Address, account: Address): bigint {
    const amount = this.creditOf(token, account);
    this.credits.delete(key(token, account));
    return amount;
  }

  /** The fees owed in `token` were withdrawn; returns what they were. */
  feesWithdrawn(token: Address): bigint {
    const amount = this.feeOf(token);
    this.fees.delete(token.toLowerCase());
    return amount;
  }

  heldOf(token: Address): bigint {
    let total = 0n;
    for (const b of this.held.values()) if (b.token.toLowerCase() === token.toLowerCase()) total += b.amount;
    return total;
  }

  creditsOf(token: Address): bigint {
    let total = 0n;
    for (const [k, v] of this.credits) if (k.startsWith(`${token.toLowerCase()}:`)) total += v;
    return total;
  }

  /**
   * Asserts the chain agrees with the ledger: every booking's status, fees owed and the credit of every account in
   * `accounts` (zero unless the ledger says otherwise) per token, and escrow balance == held + credits + fees.
   */
  async check(f: Pick<Fixture, "escrow" | "publicClient">, tokens: Address[], accounts: Address[]): Promise<void> {
    const ids = [...this.status.keys()];
    const views = await f.escrow.read.getBookings([ids]);
    views.forEach((view, i) => {
      assert.equal(view.status, this.status.get(ids[i]), `status of booking ${ids[i]}`);
    });
    for (const token of tokens) {
      for (const account of accounts) {
        assert.equal(
          await f.escrow.read.credits([token, account]),
          this.creditOf(token, account),
          `credit of ${account} in ${token}`,
        );
      }
      for (const k of this.credits.keys()) {
        const [t, account] = k.split(":") as [Address, Address];
        if (t === token.toLowerCase()) assert.ok(accounts.some((a) => a.toLowerCase() === account));
      }
      assert.equal(await f.escrow.read.feesOwed([token]), this.feeOf(token), `fees owed in ${token}`);
      const balance = await balanceOf(f.publicClient, token, f.escrow.address);
      assert.equal(balance, this.heldOf(token) + this.creditsOf(token) + this.feeOf(token), `books of ${token}`);
    }
  }
}

/** ETH or ERC-20 balance of an address. */
export async function balanceOf(publicClient: PublicClient, token: Address, account: Address): Promise<bigint> {
  if (token === ETH) return publicClient.getBalance({ address: account });
  const erc20 = await viem.getContractAt("MockStablecoin", token);
  return erc20.read.balanceOf([account]);
}

/** Balance and escrow credit of some accounts in one token, to compare before and after a transaction. */
export type Holdings = Map<string, { balance: bigint; credit: bigint }>;

export async function holdings(f: Pick<Fixture, "escrow" | "publicClient">, token: Address, accounts: Address[]) {
  const result: Holdings = new Map();
  for (const account of accounts) {
    result.set(account.toLowerCase(), {
      balance: await balanceOf(f.publicClient, token, account),
      credit: await f.escrow.read.credits([token, account]),
    });
  }
  return result;
}

/**
 * Asserts that `account` got exactly `expected` between two holdings snapshots, either pushed to its balance or
 * credited, never split between both and never more. `gasPaid` is added back for the transaction's sender;
 * `withdrawn` is the part of `expected` that comes out of the account's own credit (a withdrawal).
 * Records a credit in the ledger and returns how the amount arrived.
 */
export function received(
  books: Books,
  token: Address,
  before: Holdings,
  after: Holdings,
  account: Address,
  expected: bigint,
  gasPaid = 0n,
  withdrawn = 0n,
): "pushed" | "credited" | "nothing" {
  const b = before.get(account.toLowerCase());
  const a = after.get(account.toLowerCase());
  assert.ok(a && b, `no holdings of ${account}`);
  assert.ok(b.credit >= withdrawn);
  const pushed = a.balance - b.balance + gasPaid;
  const credited = a.credit - (b.credit - withdrawn);
  assert.equal(pushed + credited, expected, `${account} got ${pushed} pushed + ${credited} credited`);
  if (expected === 0n) return "nothing";
  if (credited === 0n) return "pushed";
  assert.equal(pushed, 0n, `${account} was paid partly`);
  books.credit(token, account, credited);
  return "credited";
}

/** Installs code that burns all gas it is given at `address`: a callee that makes any limited-gas caller run dry. */
export async function deployGasBurner(address: Address): Promise<void> {
  await networkHelpers.setCode(address, "0xfe");
}

/** One expected movement: an amount pushed to or credited to an account, or withdrawn from its own credit. */
export type Movement = [Address, bigint, "pushed" | "credited" | "withdrawn"];

/**
 * Runs `send`, then asserts every account in `accounts` got exactly `movements` in `token` (pushed or credited as
 * stated; "withdrawn" is an amount taken out of the account's own credit) and nothing else, and that the books
 * balance in `token`. Gas is added back for the transaction's sender when `token` is ETH.
 */
export async function expectMovements(
  f: Pick<Fixture, "escrow" | "publicClient">,
  books: Books,
  token: Address,
  accounts: Address[],
  send: () => Promise<Hash>,
  movements: Movement[],
): Promise<Hash> {
  const before = await holdings(f, token, accounts);
  const hash = await send();
  const receipt = await mined(f.publicClient, hash);
  const after = await holdings(f, token, accounts);
  for (const account of accounts) {
    const mine = movements.filter(([to]) => to.toLowerCase() === account.toLowerCase());
    const paid = mine.filter(([, , mode]) => mode !== "withdrawn");
    const expected = paid.reduce((sum, [, amount]) => sum + amount, 0n);
    const withdrawn = mine.reduce((sum, [, amount, mode]) => sum + (mode === "withdrawn" ? amount : 0n), 0n);
    const isSender = receipt.from.toLowerCase() === account.toLowerCase();
    const gas = token === ETH && isSender ? gasCost(receipt) : 0n;
    const how = received(books, token, before, after, account, expected, gas, withdrawn);
    for (const [, amount, mode] of paid) if (amount !== 0n) assert.equal(how, mode, `${account} ${mode}`);
  }
  await books.check(f, [token], accounts);
  return hash;
}

/** Signs `coupon` as `signer` for the escrow at `verifyingContract` on `chainId` (domain "Earnest", version "1"). */
export async function signCoupon(
  signer: Wallet,
  coupon: Coupon,
  verifyingContract: Address,
  chainId: number,
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: couponDomain(chainId, verifyingContract),
    types: COUPON_TYPES,
    primaryType: "Coupon",
    message: coupon,
  });
}

/** Signs an EIP-2612 permit of `owner` for `spender` on a token named `name` (version "1"). */
export async function signPermit(
  owner: Wallet,
  token: { address: Address; name: string },
  spender: Address,
  value: bigint,
  nonce: bigint,
  deadline: bigint,
  chainId: number,
): Promise<PermitArg> {
  const signature = await owner.signTypedData({
    account: owner.account,
    domain: { name: token.name, version: "1", chainId, verifyingContract: token.address },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message: { owner: owner.account.address, spender, value, nonce, deadline },
  });
  return permitArgs(signature, value, deadline);
}
