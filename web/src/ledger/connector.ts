// The wagmi connector. It holds the chosen account and hands wagmi a wallet client whose account signs on
// the Ledger and whose transport is the dApp's own RPC for the chain, so raw transactions go out the same way
// as every read. The Ledger code itself is only imported when connect() or a signature needs it.
import { http, SwitchChainError, type Address, type Chain, type Transport } from "viem";
import { ChainNotConfiguredError, createConnector } from "wagmi";
import { derivationPath } from "./derivation";
import { LedgerError } from "./errors";
import { ledgerDevice, loadLedgerRuntime } from "./loadLedger";
import { loadAccountChoice } from "./preferences";
import { metadataAllowed } from "./privacy";
import { requestLedgerAccess } from "./requestAccess";
import type { LedgerProvider } from "./runtime";

export const LEDGER_CONNECTOR_ID = "ledger";

ledger.type = "ledger" as const;
export function ledger() {
  let account: { address: Address; path: string } | undefined;
  let chainId: number | undefined;

  return createConnector<LedgerProvider>((config) => {
    const chainOf = (id: number | undefined): Chain =>
      config.chains.find((candidate) => candidate.id === id) ?? config.chains[0];
    const transportOf = (chain: Chain): Transport =>
      config.transports?.[chain.id] ?? http(chain.rpcUrls.default.http[0]);

    // The account signs on the device; the provider answers wallet requests with it and forwards the rest.
    const ledgerWallet = async (chain: Chain) => {
      if (!account) throw new LedgerError({ key: "disconnected" });
      const [runtime, device] = await Promise.all([loadLedgerRuntime(), ledgerDevice()]);
      return runtime.createLedgerWallet({
        device,
        ...account,
        chain,
        transport: transportOf(chain),
        metadataAllowed: (id) => metadataAllowed(config.chains, id ?? chain.id),
      });
    };

    return {
      id: LEDGER_CONNECTOR_ID,
      name: "Ledger",
      type: ledger.type,

      // The account comes from the picker's remembered choice (Ledger Live account 1 if none yet).
      async connect({ chainId: requested, withCapabilities } = {}) {
        const choice = loadAccountChoice() ?? { scheme: "ledgerLive" as const, index: 0 };
        const path = derivationPath(choice.scheme, choice.index);
        await requestLedgerAccess();
        const address = await (await ledgerDevice()).getAddress(path);
        account = { address, path };
        chainId = chainOf(requested).id;
        return {
          accounts: (withCapabilities ? [{ address, capabilities: {} }] : [address]) as never,
          chainId,
        };
      },

      async disconnect() {
        account = undefined;
        await (await ledgerDevice()).close();
      },

      getAccounts: () => Promise.resolve(account ? [account.address] : []),

      getChainId: () => Promise.resolve(chainId ?? config.chains[0].id),

      // Reconnecting silently would talk to the device (and load its code) on every page load.
      isAuthorized: () => Promise.resolve(false),

      switchChain({ chainId: next }) {
        const chain = config.chains.find((candidate) => candidate.id === next);
        if (!chain) return Promise.reject(new SwitchChainError(new ChainNotConfiguredError()));
        chainId = chain.id;
        config.emitter.emit("change", { chainId: chain.id });
        return Promise.resolve(chain);
      },

      async getClient({ chainId: requested } = {}) {
        return (await ledgerWallet(chainOf(requested ?? chainId))).client;
      },

      async getProvider({ chainId: requested } = {}) {
        return (await ledgerWallet(chainOf(requested ?? chainId))).provider;
      },

      onAccountsChanged(accounts) {
        if (accounts.length === 0) this.onDisconnect();
      },
      onChainChanged(chain) {
        config.emitter.emit("change", { chainId: Number(chain) });
      },
      onDisconnect() {
        account = undefined;
        config.emitter.emit("disconnect");
      },
    };
  });
}
