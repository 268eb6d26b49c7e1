import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_DISPUTE_REASON_BYTES } from "@earnest/sdk";
import i18n from "../i18n";
import { DisputeForm } from "./MyBookingsPage";

function renderForm() {
  const onSubmit = vi.fn<(reason: string) => void>();
  render(<DisputeForm onSubmit={onSubmit} onCancel={() => undefined} />);
  const type = (text: string) =>
    fireEvent.change(screen.getByTestId("dispute-reason-input"), { target: { value: text } });
  return { onSubmit, type };
}

describe("DisputeForm", () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("sends the trimmed reason, and nothing without one", () => {
    const { onSubmit, type } = renderForm();
    expect(screen.getByTestId<HTMLButtonElement>("confirm-dispute").disabled).toBe(true);
    type("  The table was given away.  ");
    fireEvent.click(screen.getByTestId("confirm-dispute"));
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith("The table was given away.");
  });

  it("counts bytes as the contract does: a Chinese character takes three", () => {
    const { onSubmit, type } = renderForm();
    // 93 characters of 3 bytes each fit in 280 bytes; one more does not.
    type("满".repeat(93));
    expect(screen.getByTestId("dispute-reason-count").textContent).toBe(`279 of ${MAX_DISPUTE_REASON_BYTES} bytes`);
    expect(screen.queryByTestId("dispute-reason-too-long")).toBeNull();
    type("满".repeat(94));
    expect(screen.getByTestId("dispute-reason-count").textContent).toBe(`282 of ${MAX_DISPUTE_REASON_BYTES} bytes`);
    expect(screen.getByTestId("dispute-reason-too-long").textContent).toMatch(/at most 280 bytes/);
    expect(screen.getByTestId<HTMLButtonElement>("confirm-dispute").disabled).toBe(true);
    fireEvent.submit(screen.getByTestId("dispute-form"));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("says the reason is too long in Chinese too", async () => {
    const { type } = renderForm();
    await act(() => i18n.changeLanguage("zh-CN"));
    type("a".repeat(MAX_DISPUTE_REASON_BYTES + 1));
    expect(screen.getByTestId("dispute-reason-too-long").textContent).toBe(
      "理由太长：最多 280 字节（一个汉字占 3 字节）。",
    );
  });
});
