import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { encodeAbiParameters, encodeEventTopics, zeroAddress, type Address, type Hex, type Log } from "viem";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BookingStatus, earnestEscrowAbi, type Ledger, type LedgerBooking, type LedgerOffering } from "@earnest/sdk";
import i18n from "../i18n";
import { ClaimPanel } from "./ClaimPanel";

const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const MERCHANT: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** The payout address the escrow logs: another one than the profile shows, so the receipt is seen to read the log. */
const LOGGED_PAYOUT: Address = "0x00000000000000000000000000000000005EED01";
const SLOT = 1_900_000_000;
const HASH: Hex = `0x${"ab".repeat(32)}`;

const state = vi.hoisted(() => ({ ledger: undefined as Ledger | undefined, send: vi.fn() }));
vi.mock(import("./queries"), async (original) => ({
  ...(await original()),
  useLedger: () => state.ledger,
  useEscrowEvents: () => ({ error: null }) as never,
  useBlockGasLimit: () => ({ data: 30_000_000n }) as never,
}));
vi.mock(import("../lib/chain"), async (original) => ({
  ...(await original()),
  useReadChain: () => ({ chainId: 31337, deployment: { escrow: ESCROW, deployBlock: 1n }, client: {} }) as never,
  useOfferings: () =>
    ({
      data: { offerings: [], tokens: { [zeroAddress]: { address: zeroAddress, symbol: "ETH", decimals: 18 } } },
    }) as never,
  useChainNow: () => SLOT + 10 * 86_400,
}));
vi.mock(import("../tx/TxProvider"), () => ({ useTransactor: () => ({ send: state.send }) as never }));

const offering = {
  id: 1,
  merchant: MERCHANT,
  active: true,
  token: zeroAddress,
  depositPerSeat: 10n ** 16n,
  seatsPerSlot: 4,
  slotLength: 3600,
  firstSlotStart: SLOT,
  minLeadTime: 0,
  maxAdvance: 86_400 * 90,
  noShowRefundBps: 0,
  disputeWindow: 86_400,
  arbiter: zeroAddress,
  arbiterTimeout: 0,
  checkInRule: 0,
  maxFeeBps: 1000,
  cancellationTiers: [],
  metadata: JSON.stringify({ name: "Harbour dinner", timeZone: "UTC" }),
} as LedgerOffering;

function booking(id: bigint, status: BookingStatus = BookingStatus.Booked): LedgerBooking {
  return {
    bookingId: id,
    offeringId: 1,
    customer: zeroAddress,
    slotStart: SLOT,
    seats: 1,
    amount: 10n ** 16n,
    feeBps: 100,
    detailsHash: "0x",
    checkedIn: true,
    disputed: false,
    status,
  };
}

const ledgerOf = (bookings: LedgerBooking[]): Ledger => ({
  offerings: new Map([[1, offering]]),
  bookings: new Map(bookings.map((b) => [b.bookingId, b])),
  claims: [],
  staff: [],
});

function log(eventName: "Settled" | "Claimed", args: Record<string, unknown>): Log {
  const inputs = earnestEscrowAbi.find((i) => i.type === "event" && i.name === eventName)!.inputs as readonly {
    name: string;
    type: string;
    indexed?: boolean;
  }[];
  const data = inputs.filter((i) => !i.indexed);
  const encode = encodeEventTopics as (p: { abi: typeof earnestEscrowAbi; eventName: string; args: object }) => Hex[];
  return {
    address: ESCROW,
    topics: encode({ abi: earnestEscrowAbi, eventName, args }) as [Hex, ...Hex[]],
    data: encodeAbiParameters(
      data,
      data.map((i) => args[i.name]),
    ),
  } as Log;
}

describe("ClaimPanel", () => {
  beforeEach(async () => {
    await act(() => i18n.changeLanguage("en"));
    state.send.mockReset();
  });

  it("keeps a receipt of the claim read from its logs, instead of saying nothing can be claimed", async () => {
    state.ledger = ledgerOf([booking(1n), booking(2n)]);
    const net = 99n * 10n ** 14n;
    state.send.mockResolvedValue({
      ok: true,
      receipt: {
        transactionHash: HASH,
        logs: [
          log("Settled", {
            bookingId: 1n,
            outcome: BookingStatus.Fulfilled,
            refundBps: 0n,
            customerShare: 0n,
            merchantShare: net,
            fee: 10n ** 14n,
          }),
          log("Settled", {
            bookingId: 2n,
            outcome: BookingStatus.Fulfilled,
            refundBps: 0n,
            customerShare: 0n,
            merchantShare: net,
            fee: 10n ** 14n,
          }),
          log("Claimed", { merchant: MERCHANT, token: zeroAddress, payout: LOGGED_PAYOUT, amount: 2n * net }),
        ],
      },
    });
    const { rerender } = render(<ClaimPanel account={MERCHANT} payout={MERCHANT} />);
    const claim = screen.getByTestId("claim-all");
    expect(claim.textContent).toBe("Claim 2 bookings in one transaction");
    fireEvent.click(claim);
    await screen.findByTestId("claim-receipt");
    expect(state.send).toHaveBeenCalledTimes(1);
    expect(state.send.mock.calls[0][0]).toMatchObject({
      functionName: "claim",
      args: [[1n, 2n]],
      done: "Claimed 2 bookings",
    });
    // The chain has moved on: both bookings settled, nothing left to claim; the receipt stays.
    state.ledger = ledgerOf([booking(1n, BookingStatus.Fulfilled), booking(2n, BookingStatus.Fulfilled)]);
    rerender(<ClaimPanel account={MERCHANT} payout={MERCHANT} />);
    const receipt = screen.getByTestId("claim-receipt");
    expect(screen.queryByTestId("claim-none")).toBeNull();
    expect(within(receipt).getByTestId("receipt-count").textContent).toBe("2 bookings claimed:");
    expect(
      within(receipt)
        .getAllByTestId("receipt-booking")
        .map((b) => b.dataset.bookingId),
    ).toEqual(["1", "2"]);
    const total = within(receipt).getByTestId("receipt-total");
    expect([total.dataset.token, total.dataset.amount, total.dataset.payout]).toEqual([
      zeroAddress,
      String(2n * net),
      LOGGED_PAYOUT,
    ]);
    expect(total.textContent).toContain("0.0198 ETH paid to");
    expect(within(receipt).getByTestId("receipt-tx").dataset.hash).toBe(HASH);

    fireEvent.click(within(receipt).getByTestId("receipt-dismiss"));
    expect(screen.queryByTestId("claim-receipt")).toBeNull();
    expect(screen.getByTestId("claim-none")).toBeTruthy();
  });

  it("says one booking, and shows no receipt when the claim failed", async () => {
    state.ledger = ledgerOf([booking(1n)]);
    state.send.mockResolvedValue({ ok: false, failure: { kind: "userRejected" } });
    render(<ClaimPanel account={MERCHANT} payout={MERCHANT} />);
    expect(screen.getByTestId("claim-all").textContent).toBe("Claim 1 booking in one transaction");
    const claim = screen.getByTestId<HTMLButtonElement>("claim-all");
    fireEvent.click(claim);
    // Disabled while it runs, enabled again once the failed send came back.
    expect(claim.disabled).toBe(true);
    await vi.waitFor(() => expect(claim.disabled).toBe(false));
    expect(state.send.mock.calls[0][0]).toMatchObject({ done: "Claimed 1 booking" });
    expect(screen.queryByTestId("claim-receipt")).toBeNull();
  });
});
