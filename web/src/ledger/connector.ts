// The wagmi connector. It holds the chosen account and hands wagmi a wallet client whose account signs on
// the Ledger and whose transport is the dApp's own RPC for the chain, so raw transactions go out the same way
// as every read. The Ledger code itself is only imported when connect() or a signature needs it.
import { createConnector } from "wagmi";
import {
  createWalletClient,
  http,
  numberToHex,
  SwitchChainError,
  UnsupportedProviderMethodError,
  type Address,
  type Chain,
  type EIP1193RequestFn,
  type Transport,
} from "viem";
import { ChainNotConfiguredError } from "wagmi";
import { derivationPath } from "./derivation";
import { LedgerError } from "./errors";
import { ledgerDevice, loadLedgerRuntime } from "./loadLedger";
import { loadAccountChoice } from "./preferences";
import { metadataAllowed } from "./privacy";
import { requestLedgerAccess } from "./requestAccess";

export const LEDGER_CONNECTOR_ID = "ledger";

/** Methods that need the key: the provider refuses them, wagmi signs through getClient() instead. */
const SIGNING_METHODS = new Set([
  "eth_sendTransaction",
  "eth_signTransaction",
  "eth_sign",
  "personal_sign",
  "eth_signTypedData_v4",
]);

interface Provider {
  request: EIP1193RequestFn;
}

ledger.type = "ledger" as const;
export function ledger() {
  let account: { address: Address; path: string } | undefined;
  let chainId: number | undefined;

  return createConnector<Provider>((config) => {
    const chainOf = (id: number | undefined): Chain => {
      const chain = config.chains.find((candidate) => candidate.id === id) ?? config.chains[0];
      return chain;
    };
    const transportOf = (chain: Chain): Transport => config.transports?.[chain.id] ?? http(chain.rpcUrls.default.http[0]);

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

      async getAccounts() {
        return account ? [account.address] : [];
      },

      async getChainId() {
        return chainId ?? config.chains[0].id;
      },

      // Reconnecting silently would talk to the device (and load its code) on every page load.
      async isAuthorized() {
        return false;
      },

      async switchChain({ chainId: next }) {
        const chain = config.chains.find((candidate) => candidate.id === next);
        if (!chain) throw new SwitchChainError(new ChainNotConfiguredError());
        chainId = chain.id;
        config.emitter.emit("change", { chainId: chain.id });
        return chain;
      },

      async getClient({ chainId: requested } = {}) {
        if (!account) throw new LedgerError({ key: "disconnected" });
        const chain = chainOf(requested ?? chainId);
        const [runtime, device] = await Promise.all([loadLedgerRuntime(), ledgerDevice()]);
        return createWalletClient({
          account: runtime.createLedgerAccount({
            device,
            ...account,
            metadataAllowed: (id) => metadataAllowed(config.chains, id ?? chain.id),
          }),
          chain,
          transport: transportOf(chain),
        });
      },

      async getProvider({ chainId: requested } = {}) {
        const chain = chainOf(requested ?? chainId);
        const rpc = transportOf(chain)({ chain, retryCount: 0 });
        const request: EIP1193RequestFn = async (args) => {
          if (args.method === "eth_accounts" || args.method === "eth_requestAccounts") return (account ? [account.address] : []) as never;
          if (args.method === "eth_chainId") return numberToHex(chain.id) as never;
          if (SIGNING_METHODS.has(args.method)) throw new UnsupportedProviderMethodError(new Error(`${args.method}: sign through the wallet client`));
          return rpc.request(args) as never;
        };
        return { request };
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
