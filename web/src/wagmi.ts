// `injected` from wagmi itself, not the "wagmi/connectors" barrel: a chunk that imports the barrel would take every
// connector the Safe App and WalletConnect chunks use from it into the first load.
import { createConfig, http, injected } from "wagmi";
import { chains } from "./config";

// EIP-6963 wallets are discovered by wagmi (multiInjectedProviderDiscovery); `injected()` is the fallback for a
// wallet that only sets `window.ethereum`. The Ledger connector joins when the user picks Ledger (web/src/ledger),
// so its code is not part of the first load.
export const wagmiConfig = createConfig({
  chains,
  connectors: [injected()],
  multiInjectedProviderDiscovery: true,
  transports: Object.fromEntries(chains.map((chain) => [chain.id, http(chain.rpcUrls.default.http[0])])),
});

// Safe's web interface runs Safe Apps in an iframe: there, and only there, the Safe connector loads and connects,
// so the connected account is the Safe itself. Outside an iframe none of its code is fetched.
if (typeof window !== "undefined" && window.parent !== window) {
  void import("./wallet/safe-app").then(({ connectSafeApp }) => connectSafeApp(wagmiConfig));
}

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
