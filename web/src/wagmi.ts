import { http, createConfig } from "wagmi";
import { injected } from "wagmi/connectors";
import { chains } from "./config";
import { ledgerConnectors } from "./ledger";

// EIP-6963 wallets are discovered by wagmi (multiInjectedProviderDiscovery); `injected()` is the fallback for a
// wallet that only sets `window.ethereum`.
export const wagmiConfig = createConfig({
  chains,
  connectors: [injected(), ...ledgerConnectors],
  multiInjectedProviderDiscovery: true,
  transports: Object.fromEntries(chains.map((chain) => [chain.id, http(chain.rpcUrls.default.http[0])])),
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
