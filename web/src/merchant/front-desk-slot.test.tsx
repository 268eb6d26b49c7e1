import { fireEvent, render, screen } from "@testing-library/react";
import { zeroAddress, type Address } from "viem";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  BookingStatus,
  CheckInRule,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  type LedgerBooking,
  type LedgerOffering,
} from "@earnest/sdk";
import { deskPermissions } from "./front-desk";
import { SlotCard } from "./front-desk-slot";

const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
/** 22:00 in Rome (21:00 UTC) on 1 Dec 2026. */
const SLOT = Date.UTC(2026, 11, 1, 21) / 1000;
const MINUTE = 60;

const state = vi.hoisted(() => ({ send: vi.fn() }));
vi.mock(import("../lib/chain"), async (original) => ({
  ...(await original()),
  useReadChain: () => ({ chainId: 31337, deployment: { escrow: ESCROW, deployBlock: 1n }, client: {} }) as never,
}));
vi.mock(import("../tx/TxProvider"), () => ({ useTransactor: () => ({ send: state.send }) as never }));

const dinner = {
  id: 1,
  slotLength: 2 * 3600,
  seatsPerSlot: 4,
  checkInRule: CheckInRule.MerchantWord,
  metadata: JSON.stringify({ name: "Dinner table", timeZone: "Europe/Rome" }),
} as LedgerOffering;
const booking = {
  ...({} as LedgerBooking),
  bookingId: 7n,
  offeringId: 1,
  customer: zeroAddress,
  slotStart: SLOT,
  seats: 2,
  status: BookingStatus.Booked,
  checkedIn: false,
};

function renderSlot(now: number, roles: number, offering = dinner) {
  return render(
    <SlotCard
      offering={offering}
      start={SLOT}
      bookings={[booking]}
      seatsLine="2 of 4 seats left"
      now={now}
      permissions={deskPermissions(roles)}
    />,
  );
}

const plain = (text: string | null) => (text ?? "").replace(/\s/g, " ");

describe("a slot's guests at the desk", () => {
  beforeEach(() => state.send.mockReset());

  it("labels the slot's time with the venue's zone and says the merchant's word opens at the start, not an hour before", () => {
    renderSlot(SLOT - 30 * MINUTE, STAFF_CHECK_IN);
    expect(plain(screen.getByTestId("slot-time").textContent)).toMatch(/^10:00 PM Europe\/Rome/);
    expect(screen.getByTestId("check-in")).toHaveProperty("disabled", true);
    const note = plain(screen.getByTestId("check-in-opens-at").textContent);
    expect(note).toMatch(/Your word counts from the slot's start, Dec 1, 2026, 10:00 PM Europe\/Rome/);
    expect(note).toMatch(/signed code, scanned from their pass, counts from Dec 1, 2026, 9:00 PM Europe\/Rome/);
  });

  it("checks in on the merchant's word from the start, and the toast says who and how many", () => {
    renderSlot(SLOT, STAFF_CHECK_IN);
    expect(screen.queryByTestId("check-in-opens-at")).toBeNull();
    fireEvent.click(screen.getByTestId("check-in"));
    expect(state.send).toHaveBeenCalledWith(
      expect.objectContaining({ functionName: "checkIn", args: [7n], done: "Checked in — 2 seats" }),
    );
  });

  it("offers no check-in on an offering that takes only signed codes, and says from when to scan one", () => {
    renderSlot(SLOT - 30 * MINUTE, STAFF_CHECK_IN, { ...dinner, checkInRule: CheckInRule.CustomerSignature });
    expect(screen.queryByTestId("check-in")).toBeNull();
    expect(plain(screen.getByTestId("needs-signed-code").textContent)).toMatch(
      /from Dec 1, 2026, 9:00 PM Europe\/Rome/,
    );
  });

  it("shows a check-in-only account no cancel, and a cancel account no check-in", () => {
    const { unmount } = renderSlot(SLOT, STAFF_CHECK_IN);
    expect(screen.queryByTestId("merchant-cancel")).toBeNull();
    unmount();
    renderSlot(SLOT, STAFF_CANCEL);
    expect(screen.queryByTestId("check-in")).toBeNull();
    fireEvent.click(screen.getByTestId("merchant-cancel"));
    state.send.mockResolvedValue({ ok: true });
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(state.send).toHaveBeenCalledWith(
      expect.objectContaining({ functionName: "cancelByMerchant", done: "Cancelled — 2 seats refunded in full" }),
    );
  });
});
