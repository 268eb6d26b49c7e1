export {
  NoContractError,
  RpcRequestError,
  RpcUnreachableError,
  type NoContractErrorType,
  type ReadErrorType,
  type RpcRequestErrorType,
  type RpcUnreachableErrorType,
} from "./errors.js";
export {
  createRpc,
  isRangeTooLarge,
  isTooManyLogs,
  logCapOf,
  type Eip1193,
  type Rpc,
  type RpcCall,
  type RpcOptions,
} from "./rpc.js";
export {
  createLogRange,
  readLogRanges,
  readLogs,
  type LogRange,
  type LogRangePage,
  type Progress,
  type RawLog,
  type ReadLogsErrorType,
  type ReadLogsParameters,
  type ReadLogsReturnType,
} from "./read-logs.js";
export { findDeployBlock, readBlockHeaders, type BlockHeader } from "./read-blocks.js";
export { readTransactionParties, type TransactionParties } from "./read-transactions.js";
export { decodeLogs } from "./decode-logs.js";
export {
  readCachedLogs,
  readHistory,
  historyCacheOf,
  type HistoryPage,
  type HistoryCache,
  type HistoryCacheHeader,
  type HistoryCachePage,
  type HistoryCacheWriter,
  type HistoryCounts,
  type SavedHistory,
  type ReadHistoryParameters,
  type CacheData,
  type LogCache,
  type ReadCachedLogsParameters,
  type ReadCachedLogsReturnType,
} from "./log-cache.js";
export {
  readBookingEvents,
  type ReadBookingEventsErrorType,
  type ReadBookingEventsParameters,
  type ReadBookingEventsReturnType,
} from "./read-booking-events.js";
