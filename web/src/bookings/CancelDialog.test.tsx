import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { CancelDialog } from "./MyBookingsPage";

describe("CancelDialog", () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("says what comes back and what the merchant keeps before anything is sent", () => {
    const onConfirm = vi.fn();
    const onClose = vi.fn();
    render(<CancelDialog refund="0.009 ETH" kept="0.001 ETH" hasRefund onConfirm={onConfirm} onClose={onClose} />);
    expect(screen.getByRole("dialog", { name: "Cancel this booking?" })).toBeTruthy();
    expect(screen.getByTestId("cancel-outcome").textContent).toBe(
      "Under the cancellation policy you get 0.009 ETH back now; the merchant keeps 0.001 ETH (the protocol fee included).",
    );
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("keep-booking"));
    expect(onClose).toHaveBeenCalledOnce();
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it("says plainly when nothing comes back, in Chinese too", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    render(<CancelDialog refund="0 ETH" kept="0.01 ETH" hasRefund={false} onConfirm={() => {}} onClose={() => {}} />);
    expect(screen.getByTestId("cancel-outcome").textContent).toBe("按取消政策，现在取消不退款；商家保留 0.01 ETH。");
    expect(screen.getByTestId("confirm-cancel").textContent).toBe("取消（不退款）");
  });
});
