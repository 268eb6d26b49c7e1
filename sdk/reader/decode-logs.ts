import { parseEventLogs, type Hex, type Log } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import type { EscrowEvent } from "../types.js";
import type { RawLog } from "./read-logs.js";

/** Raw logs (as `eth_getLogs` answers) in the shape viem's `parseEventLogs` takes. */
export function viemLogs(logs: readonly RawLog[]): Log[] {
  return logs.map((l) => ({
    ...l,
    blockNumber: BigInt(l.blockNumber),
    logIndex: Number(l.logIndex),
    transactionIndex: Number(l.transactionIndex),
    removed: false,
  })) as unknown as Log[];
}

/** Raw logs as escrow events, in the order given; logs of other contracts' events are dropped. The block time comes
 *  from the log when the provider puts it there, else from `timestamps`. */
export function decodeLogs(logs: readonly RawLog[], timestamps?: ReadonlyMap<bigint, number>): EscrowEvent[] {
  const parsed = parseEventLogs({ abi: earnestEscrowAbi, logs: viemLogs(logs) });
  return parsed.map((l) => {
    const raw = l as unknown as { blockTimestamp?: Hex };
    const ts = raw.blockTimestamp ? Number(BigInt(raw.blockTimestamp)) : timestamps?.get(l.blockNumber);
    return {
      eventName: l.eventName,
      args: l.args,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      transactionHash: l.transactionHash,
      blockHash: l.blockHash,
      ...(ts === undefined ? {} : { blockTimestamp: ts }),
    } as EscrowEvent;
  });
}
