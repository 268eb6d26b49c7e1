// Everything a transaction needs once one starts, loaded with the first: the offerings page, where most visits
// start, reads the chain but never writes to it.
export {
  getBlockNumber,
  sendCalls,
  simulateContract,
  waitForCallsStatus,
  waitForTransactionReceipt,
  writeContract,
} from "wagmi/actions";
export { failureMessage } from "./failure-message";
export { runSignature, runTransaction } from "./run-transaction";
