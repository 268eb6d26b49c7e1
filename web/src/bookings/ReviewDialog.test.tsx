import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_REVIEW_TEXT_BYTES } from "@earnest/sdk";
import i18n, { loadNamespaces } from "../i18n";
import { ReviewDialog } from "./ReviewDialog";

function renderDialog() {
  const onSubmit = vi.fn<(rating: number, text: string) => void>();
  render(<ReviewDialog name="Morning flow" until="1 Jan 2030" onSubmit={onSubmit} onClose={() => undefined} />);
  const type = (text: string) => fireEvent.change(screen.getByTestId("review-text-input"), { target: { value: text } });
  return { onSubmit, type };
}

describe("ReviewDialog", () => {
  beforeAll(() => loadNamespaces("reviews"));
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("asks for a rating before anything is sent, then sends the stars and the trimmed text", () => {
    const { onSubmit, type } = renderDialog();
    expect(screen.getByRole("dialog", { name: "Review Morning flow" })).toBeTruthy();
    // Five radio buttons, one per rating, named for screen readers.
    expect(screen.getAllByRole("radio").map((r) => r.getAttribute("value"))).toEqual(["1", "2", "3", "4", "5"]);
    type("  Lovely morning.  ");
    fireEvent.click(screen.getByTestId("confirm-review"));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId("review-rating-required").textContent).toBe("Choose a rating from 1 to 5 stars.");

    fireEvent.click(screen.getByRole("radio", { name: "4 stars" }));
    expect(screen.queryByTestId("review-rating-required")).toBeNull();
    fireEvent.click(screen.getByTestId("confirm-review"));
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith(4, "Lovely morning.");
  });

  it("sends a rating without text: the text is optional", () => {
    const { onSubmit } = renderDialog();
    fireEvent.click(screen.getByTestId("review-star-1"));
    fireEvent.submit(screen.getByTestId("review-form"));
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith(1, "");
  });

  it("counts bytes as the contract does: a Chinese character takes three", () => {
    const { onSubmit, type } = renderDialog();
    fireEvent.click(screen.getByTestId("review-star-5"));
    // 166 characters of 3 bytes each fit in 500 bytes; one more does not.
    type("好".repeat(166));
    expect(screen.getByTestId("review-text-input-count").textContent).toBe(`498 of ${MAX_REVIEW_TEXT_BYTES} bytes`);
    expect(screen.queryByTestId("review-text-input-too-long")).toBeNull();
    type("好".repeat(167));
    expect(screen.getByTestId("review-text-input-count").textContent).toBe(`501 of ${MAX_REVIEW_TEXT_BYTES} bytes`);
    expect(screen.getByTestId("review-text-input-too-long").textContent).toMatch(/at most 500 bytes/);
    expect(screen.getByTestId<HTMLButtonElement>("confirm-review").disabled).toBe(true);
    fireEvent.submit(screen.getByTestId("review-form"));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("speaks Chinese too", async () => {
    const { type } = renderDialog();
    await act(() => i18n.changeLanguage("zh-CN"));
    type("a".repeat(MAX_REVIEW_TEXT_BYTES + 1));
    expect(screen.getByTestId("review-text-input-count").textContent).toBe("501 / 500 字节");
    expect(screen.getByRole("radio", { name: "3 星" })).toBeTruthy();
    fireEvent.submit(screen.getByTestId("review-form"));
    expect(screen.getByTestId("review-rating-required").textContent).toBe("请选择 1 到 5 星的评分。");
  });
});
