import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { Address } from "viem";
import { hardhat } from "viem/chains";
import { createConfig, http, WagmiProvider, type ResolvedRegister } from "wagmi";
import { mock } from "wagmi/connectors";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { WalletButton } from "./WalletButton";

const PHONE_WALLET: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

// WalletConnect's own chunk, replaced by wagmi's mock connector: what matters here is that the picker loads it
// only when WalletConnect is picked, with the configured project id, and connects through it.
const loaded = vi.hoisted(() => ({ projectIds: [] as string[] }));
vi.mock("./walletconnect", () => ({
  walletConnectConnector: (projectId: string) => {
    loaded.projectIds.push(projectId);
    return mock({ accounts: [PHONE_WALLET] });
  },
}));

function renderButton(walletConnectProjectId: string | undefined) {
  const config = createConfig({
    chains: [hardhat],
    connectors: [],
    multiInjectedProviderDiscovery: false,
    transports: { [hardhat.id]: http("http://127.0.0.1:1") },
    // Typed as the app's config (its chains), which the provider is registered with.
  }) as unknown as ResolvedRegister["config"];
  render(
    <WagmiProvider config={config} reconnectOnMount={false}>
      <QueryClientProvider client={new QueryClient()}>
        <WalletButton walletConnectProjectId={walletConnectProjectId} />
      </QueryClientProvider>
    </WagmiProvider>,
  );
}

describe("WalletButton's WalletConnect entry", () => {
  beforeEach(() => {
    loaded.projectIds.length = 0;
  });
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("is not offered, and nothing of it loads, without a project id", () => {
    renderButton(undefined);
    fireEvent.click(screen.getByTestId("connect"));
    expect(screen.queryByTestId("wallet-walletconnect")).toBeNull();
    expect(loaded.projectIds).toEqual([]);
  });

  it("is offered with a project id, loads its connector only when picked, and connects through it", async () => {
    renderButton("earnest-test-project");
    fireEvent.click(screen.getByTestId("connect"));
    const option = screen.getByTestId("wallet-walletconnect");
    expect(option.textContent).toMatch(/WalletConnect.*Safe\{Wallet\}: scan a QR code/);
    expect(loaded.projectIds).toEqual([]);

    fireEvent.click(option);
    await waitFor(() => expect(screen.getByTestId("account").getAttribute("title")).toBe(PHONE_WALLET));
    expect(loaded.projectIds).toEqual(["earnest-test-project"]);
  });

  it("says it in Chinese", async () => {
    renderButton("earnest-test-project");
    await act(() => i18n.changeLanguage("zh-CN"));
    fireEvent.click(screen.getByTestId("connect"));
    expect(screen.getByTestId("wallet-walletconnect").textContent).toMatch(/扫描二维码/);
  });
});
