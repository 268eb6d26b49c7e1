// An independent ledger of what the escrow must hold, and payment observation: every amount a transaction pays is
// either pushed to the account's balance or credited to it in the escrow, never split between both, never more.
import assert from "node:assert/strict";
import type { Address, Hash } from "viem";
import { balanceOf, gasCost, mined } from "./chain.js";
import { ETH, FEE_BPS, type Fixture } from "./fixture.js";
import { expectedSplit, type Shares } from "./outcomes.js";

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
    const shares = expectedSplit(booking.amount, refundBps, booking.feeBps);
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
      const balance = await balanceOf(f, token, f.escrow.address);
      assert.equal(balance, this.heldOf(token) + this.creditsOf(token) + this.feeOf(token), `books of ${token}`);
    }
  }
}

/** Balance and escrow credit of some accounts in one token, to compare before and after a transaction. */
export type Holdings = Map<string, { balance: bigint; credit: bigint }>;

export async function holdings(f: Pick<Fixture, "escrow" | "publicClient">, token: Address, accounts: Address[]) {
  const result: Holdings = new Map();
  for (const account of accounts) {
    result.set(account.toLowerCase(), {
      balance: await balanceOf(f, token, account),
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
  const receipt = await mined(f, hash);
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
