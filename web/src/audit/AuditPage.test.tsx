import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { zeroAddress, type Address } from "viem";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  audit,
  buildReport,
  findingMessage,
  NoContractError,
  NotEarnestEscrowError,
  readTokenUnits,
  RpcUnreachableError,
  type AuditOptions,
  type AuditResult,
  type Finding,
  type RebuiltBooking,
  type RebuiltOffering,
  type Rpc,
  BookingStatus,
  CheckInRule,
} from "@earnest/sdk";
import { deploymentOn, localRpcUrl } from "../config";
import i18n from "../i18n";
import AuditPage from "./AuditPage";

vi.mock(import("@earnest/sdk"), async (original) => ({
  ...(await original()),
  audit: vi.fn(),
  readTokenUnits: vi.fn(),
}));
// A local deployment to prefill, whether or not this checkout has deployed one (a fresh clone has not).
vi.mock(import("../config"), async (original) => ({
  ...(await original()),
  deploymentOn: (chainId: number | undefined) =>
    chainId === 31337 ? { escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3", deployBlock: 1n } : undefined,
}));
const auditMock = vi.mocked(audit);
const unitsMock = vi.mocked(readTokenUnits);

/** A token with a symbol and 6 decimals, and one without either (the page shows it in base units). */
const musd = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512" as Address;
const unnamed = "0xdc64a140aa3e981100a9beca4e685f962f0cf6c9" as Address;

const escrow = "0x5fbdb2315678afecb367f032d93f642f64180aa3" as Address;
const customer = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65" as Address;
const bookingId = (1n << 72n) | (1_800_000_000n << 32n) | 1n;

const offering: RebuiltOffering = {
  offeringId: 1,
  merchant: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  token: zeroAddress,
  depositPerSeat: 10_000_000_000_000_000n,
  seatsPerSlot: 6,
  slotLength: 3_600,
  firstSlotStart: 1_799_996_400,
  minLeadTime: 0,
  maxAdvance: 2_592_000,
  noShowRefundBps: 0,
  disputeWindow: 86_400,
  arbiter: "0xa0ee7a142d267c1f36714e4a8f75612f20a79720",
  arbiterTimeout: 604_800,
  checkInRule: CheckInRule.MerchantWord,
  maxFeeBps: 1_000,
  cancellationTiers: [{ secondsBeforeStart: 86_400, refundBps: 10_000 }],
  active: true,
};
const booking: RebuiltBooking = {
  bookingId,
  offeringId: 1,
  slotStart: 1_800_000_000,
  n: 1,
  customer,
  seats: 2,
  amount: 20_000_000_000_000_000n,
  discount: 0n,
  feeBps: 100,
  status: BookingStatus.Fulfilled,
  checkedIn: true,
  checkedInBy: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
  customerSigned: false,
  disputed: false,
  disputeReason: null,
  bookedBlock: 12n,
  settledBlock: 15n,
  refundBps: 0,
  customerShare: 0n,
  merchantShare: 19_800_000_000_000_000n,
  fee: 200_000_000_000_000n,
};

/** A result as `audit()` returns it, with the sdk's real report builder. */
function result({ findings = [] as Finding[], complete = true, surplus = 0n, tokens = false } = {}): AuditResult {
  const held = (token: Address, amount: bigint) => ({
    token,
    balance: complete ? amount : null,
    depositsHeld: amount,
    credits: 0n,
    feesOwed: 0n,
    owed: amount,
  });
  const verification = {
    merchants: new Map(),
    offerings: new Map([[1, offering]]),
    bookings: new Map([[bookingId, booking]]),
    tokens: [
      {
        token: zeroAddress,
        balance: complete ? 200_000_000_000_000n + surplus : null,
        depositsHeld: 0n,
        credits: 0n,
        feesOwed: 200_000_000_000_000n,
        owed: 200_000_000_000_000n,
      },
      ...(tokens ? [held(musd, 760_000_000n), held(unnamed, 760_000_000n)] : []),
    ],
    findings,
    surplus: surplus > 0n ? [{ token: zeroAddress, amount: surplus }] : [],
    settleable: [],
    outOfRange: complete ? 0 : 3,
    events: 9,
    // The audit reads reviews only over the whole history.
    ...(complete && {
      reviews: { contract: "0x00000000000000000000000000000000000000a1" as Address, reviews: 2, answers: 1 },
    }),
  };
  const meta = {
    chainId: 31337,
    escrow,
    fromBlock: complete ? 1n : 13n,
    toBlock: 20n,
    anchor: { number: 20n, hash: `0x${"ab".repeat(32)}` as const, timestamp: 1_800_100_000 },
    complete,
  };
  return { ...buildReport(meta, verification), verification, rpcRequests: 4, cachedBlocks: 0 };
}

const splitValues = { customerShare: "1", merchantShare: "0", fee: "0", amount: "2" };
const split: Finding = {
  kind: "split-mismatch",
  bookingId,
  block: 15n,
  logIndex: 0,
  text: "sharesDoNotSum",
  values: splitValues,
  message: findingMessage("sharesDoNotSum", splitValues),
};

/** `audit` answers when the test says so, after reporting some progress. */
function pendingAudit() {
  let settle!: { resolve(r: AuditResult): void; reject(e: unknown): void };
  let options!: AuditOptions;
  auditMock.mockImplementationOnce((o) => {
    options = o;
    o.onProgress?.("logs", 5, 20);
    return new Promise((resolve, reject) => (settle = { resolve, reject }));
  });
  return { settle: () => settle, options: () => options };
}

const run = () => fireEvent.click(screen.getByTestId("audit-run"));
/** Lets settled promises reach React before looking at the page. */
const flush = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
const input = (name: string) => screen.getByTestId<HTMLInputElement>(`audit-${name}`);

beforeEach(async () => {
  await i18n.changeLanguage("en");
  unitsMock.mockResolvedValue(new Map([[musd, { symbol: "mUSD", decimals: 6 }]]));
});
afterEach(() => {
  auditMock.mockReset();
  unitsMock.mockReset();
  vi.restoreAllMocks();
});

describe("AuditPage", () => {
  it("is prefilled for the local deployment", () => {
    render(<AuditPage />);
    expect(input("rpcUrl").value).toBe(localRpcUrl);
    expect(input("escrow").value).toBe(deploymentOn(31337)?.escrow);
    expect(input("fromBlock").value).toBe("");
  });

  it("names bad inputs and runs nothing", () => {
    render(<AuditPage />);
    fireEvent.change(input("rpcUrl"), { target: { value: "localhost:8545" } });
    fireEvent.change(input("escrow"), { target: { value: "0x1234" } });
    fireEvent.change(input("fromBlock"), { target: { value: "10" } });
    fireEvent.change(input("toBlock"), { target: { value: "5" } });
    run();
    expect(screen.getByTestId("audit-rpcUrl-error").textContent).toMatch(/http:\/\/ or https:\/\//);
    expect(screen.getByTestId("audit-escrow-error").textContent).toMatch(/40 hexadecimal/);
    expect(screen.getByTestId("audit-fromBlock-error").textContent).toMatch(/after the to block/);
    expect(input("escrow").getAttribute("aria-invalid")).toBe("true");
    expect(auditMock).not.toHaveBeenCalled();
    // Editing a field clears its message.
    fireEvent.change(input("escrow"), { target: { value: escrow } });
    expect(screen.queryByTestId("audit-escrow-error")).toBeNull();
  });

  it("shows progress by phase, then a clean result with surplus as information", async () => {
    const pending = pendingAudit();
    render(<AuditPage />);
    fireEvent.change(input("toBlock"), { target: { value: "20" } });
    run();
    expect(pending.options()).toMatchObject({ toBlock: 20n, fromBlock: undefined });
    expect(pending.options().escrow.toLowerCase()).toBe(escrow);
    const progress = screen.getByTestId("audit-progress");
    expect(progress.dataset.phase).toBe("logs");
    expect(progress.textContent).toMatch(/5 of 20/);
    expect(within(progress).getByText("Connecting").dataset.state).toBe("done");
    expect(within(progress).getByText("Reading block times").dataset.state).toBe("pending");
    expect(screen.getByTestId<HTMLButtonElement>("audit-run").disabled).toBe(true);

    const clean = result({ surplus: 5n * 10n ** 15n });
    pending.settle().resolve(clean);
    await flush();
    expect(screen.queryByTestId("audit-progress")).toBeNull();
    expect(screen.getByTestId("audit-result").dataset.ok).toBe("true");
    expect(screen.getByTestId("audit-verdict").textContent).toBe("Every check holds.");
    expect(screen.getByTestId("audit-digest").textContent).toBe(clean.digest);
    expect(screen.getByTestId("audit-anchor").textContent).toBe("20");
    const checks = screen.getAllByTestId("audit-check");
    expect(checks).toHaveLength(20);
    expect(checks.every((c) => c.dataset.result === "pass")).toBe(true);
    expect(screen.getByTestId("audit-surplus").textContent).toMatch(/0\.005 ETH more than it owes.*not a violation/);
    expect(screen.getByTestId("audit-no-findings")).toBeTruthy();
  });

  it("lists findings under their check and opens the booking they concern", async () => {
    auditMock.mockResolvedValueOnce(result({ findings: [split] }));
    render(<AuditPage />);
    run();
    await flush();
    expect(screen.getByTestId("audit-verdict").textContent).toBe("Violations found: 1.");
    const failed = screen.getAllByTestId("audit-check").filter((c) => c.dataset.result === "fail");
    expect(failed.map((c) => [c.dataset.kind, c.lastElementChild?.textContent])).toEqual([["split-mismatch", "1"]]);
    const row = screen.getByTestId("audit-finding");
    expect(row.textContent).toMatch(
      /Settlement split adds up to the amount.*shares 1 \+ 0 \+ 0 do not sum to the amount 2.*block 15/,
    );

    fireEvent.click(within(row).getByTestId("audit-finding-booking"));
    const detail = screen.getByTestId("audit-booking");
    expect(detail.textContent).toContain(`Booking ${bookingId}`);
    expect(detail.textContent).toMatch(/Statusfulfilled/);
    expect(detail.textContent).toMatch(/Merchant's share0\.0198 ETH/);
    fireEvent.click(within(detail).getByText("Close"));
    expect(screen.queryByTestId("audit-booking")).toBeNull();
  });

  it("gives finding details in Chinese too, booking statuses included", async () => {
    await i18n.changeLanguage("zh-CN");
    const values = { outcome: "Fulfilled", status: "CustomerCancelled" };
    const settledTwice: Finding = {
      kind: "illegal-transition",
      bookingId,
      block: 16n,
      logIndex: 0,
      text: "settledWhile",
      values,
      message: findingMessage("settledWhile", values),
    };
    auditMock.mockResolvedValueOnce(result({ findings: [settledTwice] }));
    render(<AuditPage />);
    run();
    await flush();
    expect(screen.getByTestId("audit-finding").textContent).toContain("状态为“顾客已取消”时又结算为“已履约”");
  });

  it("marks the whole-history checks skipped on a partial range", async () => {
    auditMock.mockResolvedValueOnce(result({ complete: false }));
    render(<AuditPage />);
    run();
    await flush();
    const skipped = screen.getAllByTestId("audit-check").filter((c) => c.dataset.result === "skipped");
    expect(skipped.map((c) => c.dataset.kind)).toEqual([
      "unauthorized-caller",
      "view-mismatch",
      "shortfall",
      "review-mismatch",
    ]);
    expect(screen.getByText(/checks against the contract's views.*skipped.*\(3\)/)).toBeTruthy();
  });

  it("downloads exactly the report JSON and the bookings CSV", async () => {
    const dirty = result({ findings: [split] });
    auditMock.mockResolvedValueOnce(dirty);
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:${blobs.length}`;
    });
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    render(<AuditPage />);
    run();
    await flush();
    fireEvent.click(screen.getByTestId("audit-download-json"));
    fireEvent.click(screen.getByTestId("audit-download-csv"));
    expect(await blobs[0].text()).toBe(dirty.json);
    expect(await blobs[1].text()).toBe(dirty.csv);
    expect(blobs.map((b) => b.type)).toEqual(["application/json", "text/csv"]);
    expect(names).toEqual(["earnest-31337-20-report.json", "earnest-31337-20-bookings.csv"]);
  });

  it("cancels: stops the RPC and ignores the run's late result", async () => {
    const pending = pendingAudit();
    render(<AuditPage />);
    run();
    fireEvent.click(screen.getByTestId("audit-cancel"));
    expect(screen.getByTestId("audit-cancelled")).toBeTruthy();
    const rpc = pending.options().rpc as Rpc;
    await expect(rpc.call("eth_chainId")).rejects.toThrow();
    pending.settle().resolve(result());
    await flush();
    expect(screen.queryByTestId("audit-result")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("audit-run").disabled).toBe(false);
  });

  it("says what to do when the RPC cannot be reached", async () => {
    auditMock.mockRejectedValueOnce(new RpcUnreachableError({ url: "http://127.0.0.1:8545" }));
    render(<AuditPage />);
    run();
    await flush();
    const error = screen.getByTestId("audit-error");
    expect(error.dataset.kind).toBe("unreachable");
    expect(error.textContent).toMatch(/The RPC at http:\/\/127\.0\.0\.1:8545 did not answer.*npm run chain/);
  });

  it("says what to do when there is no contract, in Chinese too", async () => {
    await i18n.changeLanguage("zh-CN");
    auditMock.mockRejectedValueOnce(new NoContractError({ address: escrow, chainId: 31337, blockNumber: 20n }));
    render(<AuditPage />);
    run();
    await flush();
    const error = screen.getByTestId("audit-error");
    expect(error.dataset.kind).toBe("noContract");
    expect(error.textContent).toContain("处没有合约");
    expect(error.textContent).toContain(`No contract at ${escrow}`); // the sdk's words, as details
  });

  it("counts each token in its unit with its symbol, and a token without one in base units", async () => {
    auditMock.mockResolvedValueOnce(result({ tokens: true }));
    render(<AuditPage />);
    run();
    await flush();
    // The units are read for the audit's tokens, at its anchor block.
    expect(unitsMock).toHaveBeenCalledWith(expect.anything(), {
      tokens: [zeroAddress, musd, unnamed],
      blockNumber: 20n,
    });
    const rows = screen
      .getAllByTestId("audit-token")
      .map((cell) => [
        cell.textContent,
        cell.parentElement?.querySelector("[data-testid=audit-token-balance]")?.textContent,
      ]);
    expect(rows).toEqual([
      ["ETH (native)", "0.0002 ETH"],
      ["mUSD (0xe7f1…0512)", "760 mUSD"],
      ["0xdc64…f6c9", "760,000,000"],
    ]);
  });

  it("says there is no Earnest escrow at the address, in Chinese too", async () => {
    for (const language of ["en", "zh-CN"] as const) {
      await i18n.changeLanguage(language);
      auditMock.mockRejectedValueOnce(
        new NotEarnestEscrowError({ address: escrow, reason: "eip712Domain() returns nothing" }),
      );
      const { unmount } = render(<AuditPage />);
      run();
      await flush();
      const error = screen.getByTestId("audit-error");
      expect(error.dataset.kind).toBe("notEscrow");
      // The address as the form has it (checksummed).
      const shown = deploymentOn(31337)!.escrow;
      expect(error.textContent).toContain(
        language === "en" ? `No Earnest escrow at ${shown}` : `${shown} 处没有 Earnest 托管合约`,
      );
      expect(error.textContent).toContain("eip712Domain() returns nothing"); // the sdk's words, as details
      unmount();
    }
  });
});
