// What the contract's views say at the anchor block, for the verifier to compare with the events: every booking
// (batched `getBookings`), the balances, credits and fees owed per token, and the staff roles. No Node APIs.
import { encodeFunctionData, erc20Abi, numberToHex, zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { Progress } from "../reader/read-logs.js";
import type { Rpc } from "../reader/rpc.js";
import type { BookingView } from "../types.js";
import { decodeResult, quantity, word } from "./shape.js";
import type { ChainStateWithoutBookings } from "./types.js";

export type ReadChainStateParameters = {
  escrow: Address;
  blockNumber: bigint;
  /** Left out, the bookings are not read (see `readBookingViews`). */
  bookingIds?: readonly bigint[];
  tokens: readonly Address[];
  /** `token:account`, lower-case. */
  creditKeys: readonly string[];
  /** `merchant:staff`, lower-case. */
  staffPairs?: readonly string[];
  /** Booking ids per `getBookings` call. */
  idsPerCall?: number;
  onProgress?: Progress;
};

export async function readChainState(
  rpc: Rpc,
  {
    escrow,
    blockNumber,
    bookingIds,
    tokens,
    creditKeys,
    staffPairs = [],
    idsPerCall = 250,
    onProgress,
  }: ReadChainStateParameters,
): Promise<ChainStateWithoutBookings> {
  const tag = numberToHex(blockNumber);
  const ethCall = (data: Hex, to: Address = escrow) => ({ method: "eth_call", params: [{ to, data }, tag] });

  let bookings: Map<bigint, BookingView> | undefined;
  if (bookingIds) {
    bookings = new Map();
    for await (const views of readBookingViews(rpc, { escrow, blockNumber, bookingIds, idsPerCall, onProgress })) {
      for (const v of views.views) bookings.set(v.bookingId, v);
    }
  }

  const calls = [
    ...tokens.map((t) =>
      t === zeroAddress
        ? { method: "eth_getBalance", params: [escrow, tag] }
        : ethCall(encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [escrow] }), t),
    ),
    ...tokens.map((t) => ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "feesOwed", args: [t] }))),
    ...creditKeys.map((k) => {
      const [t, a] = k.split(":") as [Address, Address];
      return ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "credits", args: [t, a] }));
    }),
    ...staffPairs.map((k) => {
      const [m, s] = k.split(":") as [Address, Address];
      return ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "staffRoles", args: [m, s] }));
    }),
  ];
  const results = await rpc.batch<unknown>(calls);
  const balances = new Map<Address, bigint>();
  const feesOwed = new Map<Address, bigint>();
  const credits = new Map<string, bigint>();
  tokens.forEach((t, i) => {
    balances.set(t, t === zeroAddress ? quantity(results[i], "eth_getBalance") : word(results[i], `balanceOf(${t})`));
    feesOwed.set(t, word(results[tokens.length + i], `feesOwed(${t})`));
  });
  creditKeys.forEach((k, i) => credits.set(k, word(results[2 * tokens.length + i], `credits(${k})`)));
  const staffRoles = new Map<string, number>();
  const staffFrom = 2 * tokens.length + creditKeys.length;
  staffPairs.forEach((k, i) => staffRoles.set(k, Number(word(results[staffFrom + i], `staffRoles(${k})`))));
  return { bookings, balances, feesOwed, credits, staffRoles };
}

export type ReadBookingViewsParameters = {
  escrow: Address;
  blockNumber: bigint;
  bookingIds: Iterable<bigint>;
  /** How many there are, for the progress. */
  total?: number;
  /** Booking ids per `getBookings` call. */
  idsPerCall?: number;
  onProgress?: Progress;
};

/** `getBookings` for the ids given, one batch of calls at a time, so that a caller can compare and drop them. */
export async function* readBookingViews(
  rpc: Rpc,
  { escrow, blockNumber, bookingIds, total, idsPerCall = 250, onProgress }: ReadBookingViewsParameters,
): AsyncGenerator<{ ids: bigint[]; views: BookingView[] }> {
  const tag = numberToHex(blockNumber);
  // A thousand views an answer (some 700 kB of JSON): each batch is decoded, compared and dropped while young.
  const callsPerBatch = 4;
  const count = total ?? (Array.isArray(bookingIds) ? bookingIds.length : 0);
  let done = 0;
  let ids: bigint[] = [];
  const read = async (all: bigint[]) => {
    const calls = [];
    for (let i = 0; i < all.length; i += idsPerCall) {
      const args = [all.slice(i, i + idsPerCall)] as const;
      const data = encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getBookings", args });
      calls.push({ method: "eth_call", params: [{ to: escrow, data }, tag] });
    }
    const views: BookingView[] = [];
    for (const data of await rpc.batch<unknown>(calls)) {
      for (const v of decodeResult(earnestEscrowAbi, "getBookings", data)) views.push({ ...v });
    }
    done += all.length;
    onProgress?.("views", done, Math.max(done, count));
    return { ids: all, views };
  };
  // Two batches in flight, so that the provider has the next one to work on while this one travels and is
  // compared; their answers are handed over in order.
  const inFlight: ReturnType<typeof read>[] = [];
  const send = (batch: bigint[]) => {
    const answer = read(batch);
    // Awaited in turn; one refused while an earlier one is being awaited must not crash the process unhandled.
    answer.catch(() => undefined);
    inFlight.push(answer);
  };
  for (const id of bookingIds) {
    ids.push(id);
    if (ids.length === idsPerCall * callsPerBatch) {
      send(ids);
      ids = [];
      if (inFlight.length === 2) yield await inFlight.shift()!;
    }
  }
  if (ids.length > 0) send(ids);
  while (inFlight.length > 0) yield await inFlight.shift()!;
}
