// Types shared by the verifier and the report. No Node APIs here: the dApp imports this too.
import type { Address } from "viem";
import type { Booking, Offering } from "../fold/state.js";
import type { BookingView } from "../types.js";
import type { FindingText } from "./finding-text.js";

/** What the contract's views say at the anchor block. */
export type ChainState = {
  /** `getBookings` for every booking id the events name (missing ids are reported as not read). */
  bookings: Map<bigint, BookingView>;
  /** The escrow's balance per token (lower-case address; zero address = ETH). */
  balances: Map<Address, bigint>;
  /** `feesOwed(token)` per token. */
  feesOwed: Map<Address, bigint>;
  /** `credits(token, account)` keyed `token:account` (lower-case). */
  credits: Map<string, bigint>;
  /** `staffRoles(merchant, staff)` keyed `merchant:staff` (lower-case), for every pair the events name. */
  staffRoles: Map<string, number>;
};

/** The chain state without the bookings' views: `audit` compares those chunk by chunk (`bookingViewFindings`), so
 *  that they are never all held at once. */
export type ChainStateWithoutBookings = Omit<ChainState, "bookings"> & { bookings?: ChainState["bookings"] };

export type FindingKind =
  | "illegal-transition"
  | "refund-share-mismatch"
  | "split-mismatch"
  | "fee-above-snapshot"
  | "fee-above-cap"
  | "fee-snapshot-mismatch"
  | "fee-above-offering-max"
  | "arbiter-not-independent"
  | "unbounded-terms"
  | "staff-roles"
  | "unauthorized-caller"
  | "staff-funds"
  | "amount-mismatch"
  | "overbooked-slot"
  | "claim-mismatch"
  | "credit-mismatch"
  | "fees-owed-mismatch"
  | "view-mismatch"
  | "review-mismatch"
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

/** An open booking whose time has come: anyone may settle it now (SPEC §3, invariant 6). Reported, not a
 *  violation: nobody has to wait for the merchant. */
export type SettleableBooking = {
  bookingId: bigint;
  offeringId: number;
  /** Since when it can settle: its slot's end plus the dispute window (plus the arbiter's time if disputed). */
  since: number;
  /** What `settle` will make of it: `Fulfilled` if checked in, else `NoShow` (a `BookingStatus`). */
  outcome: number;
};

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
> & {
  status: number;
  /** Who checked it in (lower case), and whether by the customer's signature; null until checked in. */
  checkedInBy: Address | null;
  customerSigned: boolean | null;
  /** The customer's reason; null unless disputed. */
  disputeReason: string | null;
} & { [field in keyof Settlement]-?: Exclude<Settlement[field], undefined> | null };

/** Everything the verifier rebuilt and found. */
export type Verification = {
  merchants: Map<Address, RebuiltMerchant>;
  offerings: Map<number, RebuiltOffering>;
  /** Read-only: a long history's bookings are held packed, each unpacked as it is read. */
  bookings: ReadonlyMap<bigint, RebuiltBooking>;
  tokens: TokenBook[];
  findings: Finding[];
  surplus: Surplus[];
  /** Open bookings anyone may settle at the time given (`VerifyOptions.now`), oldest first. */
  settleable: SettleableBooking[];
  /** Events that name a booking or offering made before the range (only when the range starts after deployment). */
  outOfRange: number;
  events: number;
  /** The reviews contract checked beside the escrow, when there is one. */
  reviews?: { contract: Address; reviews: number; answers: number };
};
