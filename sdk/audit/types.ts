// Types shared by the verifier and the report. No Node APIs here: the dApp imports this too.
import type { Address } from "viem";
import type { Booking, Offering } from "../fold/state.js";
import type { BookingView } from "../types.js";
import type { FindingText } from "./finding-text.js";

/** What the contract's views say at the anchor block. */
export type ChainState = {
  /** `getBookings` for every booking id the events name (missing ids are not compared). */
  bookings: Map<bigint, BookingView>;
  /** The escrow's balance per token (lower-case address; zero address = ETH). */
  balances: Map<Address, bigint>;
  /** `feesOwed(token)` per token. */
  feesOwed: Map<Address, bigint>;
  /** `credits(token, account)` keyed `token:account` (lower-case). */
  credits: Map<string, bigint>;
};

export type FindingKind =
  | "illegal-transition"
  | "refund-share-mismatch"
  | "split-mismatch"
  | "fee-above-snapshot"
  | "fee-above-cap"
  | "fee-snapshot-mismatch"
  | "amount-mismatch"
  | "overbooked-slot"
  | "claim-mismatch"
  | "credit-mismatch"
  | "fees-owed-mismatch"
  | "view-mismatch"
  | "shortfall";

/** A violation. `bookingId`, `token`, `account` say what it concerns; `block`/`logIndex` where it was seen. */
export type Finding = {
  kind: FindingKind;
  /** Which sentence describes it: a key of `findingTexts`, which the dApp translates. */
  text: FindingText;
  /** The sentence's placeholders, all strings (numbers and bigints in decimal, booking statuses by enum name). */
  values?: Record<string, string>;
  /** The sentence in English with its values filled in, as the report and the CLI show it. */
  message: string;
  bookingId?: bigint;
  offeringId?: number;
  token?: Address;
  account?: Address;
  block?: bigint;
  logIndex?: number;
};

/** Funds the escrow holds beyond what it owes in a token: reported, not a violation. */
export type Surplus = { token: Address; amount: bigint };

/** Per token: what the escrow holds and what it owes. */
export type TokenBook = {
  token: Address;
  balance: bigint | null;
  depositsHeld: bigint;
  credits: bigint;
  feesOwed: bigint;
  owed: bigint;
};

export type RebuiltMerchant = { merchant: Address; payout: Address; name: string };

/** An offering as the verifier reports it: the fold's, with its addresses in lower case. */
export type RebuiltOffering = Omit<Offering, "id" | "metadata" | "createdBlock"> & { offeringId: number };

type Settlement = Pick<Booking, "settledBlock" | "refundBps" | "customerShare" | "merchantShare" | "fee">;

/** A booking as the verifier reports it: the fold's, with its customer in lower case and, until it settles, null
 *  for what the settlement sets. */
export type RebuiltBooking = Pick<
  Booking,
  | "bookingId"
  | "offeringId"
  | "slotStart"
  | "n"
  | "customer"
  | "seats"
  | "amount"
  | "discount"
  | "feeBps"
  | "checkedIn"
  | "disputed"
  | "bookedBlock"
> & { status: number } & { [field in keyof Settlement]-?: Exclude<Settlement[field], undefined> | null };

/** Everything the verifier rebuilt and found. */
export type Verification = {
  merchants: Map<Address, RebuiltMerchant>;
  offerings: Map<number, RebuiltOffering>;
  bookings: Map<bigint, RebuiltBooking>;
  tokens: TokenBook[];
  findings: Finding[];
  surplus: Surplus[];
  /** Events that name a booking or offering made before the range (only when the range starts after deployment). */
  outOfRange: number;
  events: number;
};
