// What the contract's views say at the anchor block, for the verifier to compare with the events: every booking
// (batched `getBookings`), the balances, credits and fees owed per token, and the staff roles. No Node APIs.
import { decodeFunctionResult, encodeFunctionData, erc20Abi, hexToBigInt, numberToHex, zeroAddress } from "viem";
import type { Address, Hex } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { Progress } from "../reader/read-logs.js";
import type { Rpc } from "../reader/rpc.js";
import type { BookingView } from "../types.js";
import type { ChainState } from "./types.js";

export type ReadChainStateParameters = {
  escrow: Address;
  blockNumber: bigint;
  bookingIds: readonly bigint[];
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
): Promise<ChainState> {
  const tag = numberToHex(blockNumber);
  const ethCall = (data: Hex, to: Address = escrow) => ({ method: "eth_call", params: [{ to, data }, tag] });

  const bookingCalls = [];
  for (let i = 0; i < bookingIds.length; i += idsPerCall) {
    const ids = bookingIds.slice(i, i + idsPerCall);
    bookingCalls.push(ethCall(encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getBookings", args: [ids] })));
  }
  const bookings = new Map<bigint, BookingView>();
  const chunk = 20;
  for (let i = 0; i < bookingCalls.length; i += chunk) {
    const results = await rpc.batch<Hex>(bookingCalls.slice(i, i + chunk));
    for (const data of results) {
      const views = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getBookings", data });
      for (const v of views) bookings.set(v.bookingId, { ...v });
    }
    onProgress?.("views", Math.min((i + chunk) * idsPerCall, bookingIds.length), bookingIds.length);
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
  const results = await rpc.batch<Hex>(calls);
  const balances = new Map<Address, bigint>();
  const feesOwed = new Map<Address, bigint>();
  const credits = new Map<string, bigint>();
  tokens.forEach((t, i) => {
    balances.set(t, hexToBigInt(results[i]));
    feesOwed.set(t, hexToBigInt(results[tokens.length + i]));
  });
  creditKeys.forEach((k, i) => credits.set(k, hexToBigInt(results[2 * tokens.length + i])));
  const staffRoles = new Map<string, number>();
  const staffFrom = 2 * tokens.length + creditKeys.length;
  staffPairs.forEach((k, i) => staffRoles.set(k, Number(hexToBigInt(results[staffFrom + i]))));
  return { bookings, balances, feesOwed, credits, staffRoles };
}
