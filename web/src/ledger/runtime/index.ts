// The lazily loaded half of the Ledger integration: everything that pulls in the DMK and its signer.
export { createLedgerDevice, type LedgerDevice } from "./ledgerDevice";
export type { LedgerProvider } from "./provider";
export { createLedgerWallet } from "./wallet";
