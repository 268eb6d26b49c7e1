// The Ledger integration as the rest of the dApp sees it. Only small, Ledger-free modules are imported
// here: the DMK, its Ethereum signer and ethers load on demand (see ./loadLedger), never on first load.
import type { CreateConnectorFn } from "wagmi";
import { ledger } from "./connector";

export const ledgerConnectors: CreateConnectorFn[] = [ledger()];
export { LedgerOption } from "./LedgerOption";
export { LedgerOverlay } from "./LedgerOverlay";
