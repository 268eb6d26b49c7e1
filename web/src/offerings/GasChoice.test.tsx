import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { GasChoice } from "./GasChoice";

describe("GasChoice", () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("books without gas for a customer with no ETH, who cannot pick paying the gas", () => {
    const onChoose = vi.fn();
    render(
      <GasChoice
        gasless="relayAuthorization"
        signatures={1}
        path="relayAuthorization"
        enoughEth={false}
        onChoose={onChoose}
      />,
    );
    expect(screen.getByTestId<HTMLInputElement>("path-gasless").checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>("path-wallet").disabled).toBe(true);
    expect(screen.getByTestId("gas-choice").textContent).toMatch(/sign once in your wallet/);
    expect(screen.getByTestId("gas-choice").textContent).toMatch(/holds no ETH/);
  });

  it("lets a customer with ETH switch, and counts the signatures of a permit token", () => {
    const onChoose = vi.fn();
    render(<GasChoice gasless="relayPermit" signatures={2} path="batch" enoughEth onChoose={onChoose} />);
    expect(screen.getByTestId<HTMLInputElement>("path-wallet").checked).toBe(true);
    expect(screen.getByTestId("gas-choice").textContent).toMatch(/sign 2 times/);
    fireEvent.click(screen.getByTestId("path-gasless"));
    expect(onChoose).toHaveBeenCalledExactlyOnceWith("gasless");
  });

  it("says it in Chinese", async () => {
    render(<GasChoice gasless="relayPermit" signatures={2} path="relayPermit" enoughEth={false} onChoose={vi.fn()} />);
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(screen.getByTestId("gas-choice").textContent).toMatch(/签名 2 次/);
  });
});
