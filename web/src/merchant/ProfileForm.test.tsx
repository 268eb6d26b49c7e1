import { act, fireEvent, render, screen } from "@testing-library/react";
import type { Address } from "viem";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { ProfileForm } from "./ProfileForm";

const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ACCOUNT: Address = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const send = vi.hoisted(() => vi.fn());
vi.mock(import("../lib/chain"), async (original) => ({
  ...(await original()),
  useReadChain: () => ({ chainId: 31337, deployment: { escrow: ESCROW, deployBlock: 1n }, client: {} }) as never,
}));
vi.mock(import("../tx/TxProvider"), () => ({ useTransactor: () => ({ send }) as never }));

const problems = () => screen.queryAllByRole("alert").map((a) => a.textContent);

describe("ProfileForm", () => {
  beforeEach(async () => {
    await act(() => i18n.changeLanguage("en"));
    send.mockReset().mockResolvedValue({ ok: true });
  });

  it("shows no problem on a form nobody has touched, and shows them once the user submits", () => {
    render(<ProfileForm account={ACCOUNT} current={null} />);
    expect(problems()).toEqual([]);
    fireEvent.click(screen.getByTestId("merchant-save"));
    expect(problems()).toEqual(["The name must have 1 to 64 bytes."]);
    expect(send).not.toHaveBeenCalled();
  });

  it("shows problems as the user types, keeps what was typed, and registers with a toast that names the merchant", async () => {
    render(<ProfileForm account={ACCOUNT} current={null} />);
    fireEvent.change(screen.getByTestId("merchant-payout"), { target: { value: "0x123" } });
    expect(problems()).toEqual(["The payout address is not a valid address.The name must have 1 to 64 bytes."]);
    expect(screen.getByTestId<HTMLInputElement>("merchant-payout").value).toBe("0x123");
    fireEvent.change(screen.getByTestId("merchant-payout"), { target: { value: ACCOUNT } });
    fireEvent.change(screen.getByTestId("merchant-name"), { target: { value: " Harbour Kitchen " } });
    expect(problems()).toEqual([]);
    fireEvent.click(screen.getByTestId("merchant-save"));
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(send.mock.calls[0][0]).toMatchObject({
      functionName: "registerMerchant",
      args: [ACCOUNT, "Harbour Kitchen"],
      done: "Registered Harbour Kitchen as a merchant",
    });
  });
});
