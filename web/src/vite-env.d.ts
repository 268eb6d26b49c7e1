/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The local chain's RPC URL, set by the browser tests and the benchmark (default http://127.0.0.1:8545). */
  readonly VITE_RPC_URL?: string;
  /** A WalletConnect (Reown) project id: when set, the wallet picker offers WalletConnect. */
  readonly VITE_WALLETCONNECT_PROJECT_ID?: string;
  /** The notifier's public URL: when set, My bookings offers Web Push notices on this phone. */
  readonly VITE_NOTIFIER_URL?: string;
}
