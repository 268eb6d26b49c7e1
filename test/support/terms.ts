// The terms of the tests' offerings and the times they imply, restated here so that expectations do not come from
// the contract. No Hardhat in this file: the tests that drive a separate node (the notifier's) import it too.
import { parseEther, zeroAddress, type Address } from "viem";
import { CheckInRule, MAX_FEE_BPS, type CancellationTier, type OfferingTerms } from "@earnest/sdk";

export const HOUR = 3600;
export const DAY = 24 * HOUR;

/** Native ETH as the escrow names it. */
export const ETH: Address = zeroAddress;
/** Deposit per seat of an ETH offering on the default terms. */
export const ETH_DEPOSIT = parseEther("0.01");
/** Slot length of the default terms. */
export const SLOT_LENGTH = 2 * HOUR;
/** Min lead time of the default terms. */
export const MIN_LEAD_TIME = HOUR;
/** Max advance of the default terms. */
export const MAX_ADVANCE = 90 * DAY;
/** No-show refund share of the default terms. */
export const NO_SHOW_BPS = 2_000n;
/** Dispute window of the default terms. */
export const DISPUTE_WINDOW = DAY;
/** What the sdk's `settlesAt` needs of an offering on the default terms. */
export const TIMING = { slotLength: SLOT_LENGTH, disputeWindow: DISPUTE_WINDOW } as const;

/** 48 h → 100 %, 24 h → 50 %, else nothing. */
export const DEFAULT_TIERS: CancellationTier[] = [
  { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
  { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
];

/** Terms of a typical dinner offering: 2 h slots from `grid`, 4 seats, 0.01 ETH a seat, no arbiter, the merchant's
 *  word for check-in, any fee the protocol may set. */
export function terms(grid: number, overrides: Partial<OfferingTerms> = {}): OfferingTerms {
  return {
    token: ETH,
    depositPerSeat: ETH_DEPOSIT,
    seatsPerSlot: 4,
    slotLength: SLOT_LENGTH,
    firstSlotStart: grid,
    minLeadTime: MIN_LEAD_TIME,
    maxAdvance: MAX_ADVANCE,
    noShowRefundBps: Number(NO_SHOW_BPS),
    disputeWindow: DISPUTE_WINDOW,
    arbiter: zeroAddress,
    arbiterTimeout: 0,
    checkInRule: CheckInRule.MerchantWord,
    maxFeeBps: MAX_FEE_BPS,
    cancellationTiers: DEFAULT_TIERS,
    metadata: '{"name":"Dinner","tz":"Europe/Paris"}',
    ...overrides,
  };
}
