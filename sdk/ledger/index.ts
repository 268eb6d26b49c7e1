export {
  buildLedger,
  ledgerOf,
  type Ledger,
  type LedgerBooking,
  type LedgerClaim,
  type LedgerOffering,
  type LedgerScope,
} from "./build-ledger.js";
export { claimableBookings, planClaimBatches, totalsByToken, type ClaimableBooking } from "./claims.js";
export {
  claimReceipt,
  type ClaimedBooking,
  type ClaimPayout,
  type ClaimReceipt,
  type ReceiptLogs,
} from "./claim-receipt.js";
