// The lazily loaded half of the Ledger integration: everything that pulls in the DMK and its signer.
export { createLedgerAccount } from "./account";
export { createLedgerDevice, type LedgerDevice } from "./ledgerDevice";
