// Types shared by the verifier, the reader and the report. No Node APIs here: the dApp imports this too.
import type { Address, DecodeEventLogReturnType, Hex } from "viem";
import type { earnestEscrowAbi } from "../generated/abis.js";
import type { FindingText } from "./finding-text.js";

/** A decoded escrow event with where it happened. `blockTimestamp` enables the timing checks. */
export type EscrowEvent = DecodeEventLogReturnType<typeof earnestEscrowAbi> & {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  blockTimestamp?: number;
};

import type { BookingView } from "../types.js";

export type { BookingView };

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

export type RebuiltOffering = {
  offeringId: number;
  merchant: Address;
  token: Address;
  depositPerSeat: bigint;
  seatsPerSlot: number;
  slotLength: number;
  firstSlotStart: number;
  minLeadTime: number;
  maxAdvance: number;
  noShowRefundBps: number;
  disputeWindow: number;
  arbiter: Address;
  arbiterTimeout: number;
  cancellationTiers: { secondsBeforeStart: number; refundBps: number }[];
  active: boolean;
};

export type RebuiltBooking = {
  bookingId: bigint;
  offeringId: number;
  slotStart: number;
  n: number;
  customer: Address;
  seats: number;
  amount: bigint;
  discount: bigint;
  feeBps: number;
  status: number;
  checkedIn: boolean;
  disputed: boolean;
  bookedBlock: bigint;
  settledBlock: bigint | null;
  refundBps: number | null;
  customerShare: bigint | null;
  merchantShare: bigint | null;
  fee: bigint | null;
};

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
