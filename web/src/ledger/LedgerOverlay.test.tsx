import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { LedgerOverlay } from "./LedgerOverlay";
import { getLedgerStatus, setLedgerStatus } from "./status";

// Each test starts idle and in English, whatever the previous one left behind.
afterEach(async () => {
  act(() => setLedgerStatus({ kind: "idle" }));
  await act(() => i18n.changeLanguage("en"));
});

describe("LedgerOverlay", () => {
  it("shows nothing while the device is idle", () => {
    const { container } = render(<LedgerOverlay />);
    expect(container.innerHTML).toBe("");
  });

  it("asks to confirm on the device and can cancel the request", () => {
    const cancel = vi.fn();
    render(<LedgerOverlay />);
    act(() => setLedgerStatus({ kind: "waiting", prompt: "confirm", cancel }));
    expect(screen.getByRole("status").textContent).toContain("Confirm on your Ledger");
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(cancel).toHaveBeenCalledOnce();
  });

  it("says what to do about an error, in the reader's language", async () => {
    render(<LedgerOverlay />);
    act(() => setLedgerStatus({ kind: "error", message: { key: "blindSigning" } }));
    expect(screen.getByRole("alert").textContent).toContain("turn on Blind signing");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(screen.getByRole("alert").textContent).toContain("开启“盲签”");
    fireEvent.click(screen.getByRole("button", { name: "关闭" }));
    expect(getLedgerStatus().kind).toBe("idle");
  });
});
