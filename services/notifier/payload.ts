// The JSON bodies receivers get. Amounts and ids are decimal strings (they exceed JavaScript's safe integers).
import type { Address, Hex } from "viem";
import { BookingStatusNames, type BookingView, type EscrowEvent } from "@earnest/sdk";
import type { Alert } from "./risk.js";

export type { BookingView };

const statusNames: readonly string[] = BookingStatusNames;

/** Copies a decoded value into plain JSON: bigints become decimal strings. */
export function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** Where the event sits on the chain; `id` is `<chain id>:<transaction hash>:<log index>`. */
export type EventPosition = {
  id: string;
  chainId: number;
  contract: Address;
  blockNumber: bigint;
  blockHash: Hex;
  blockTimestamp: number;
  transactionHash: Hex;
  logIndex: number;
};

export function eventId(chainId: number, transactionHash: Hex, logIndex: number): string {
  return `${chainId}:${transactionHash}:${logIndex}`;
}

function position(p: EventPosition) {
  return {
    chainId: p.chainId,
    contract: p.contract,
    blockNumber: Number(p.blockNumber),
    blockHash: p.blockHash,
    blockTimestamp: p.blockTimestamp,
    transactionHash: p.transactionHash,
    logIndex: p.logIndex,
  };
}

/** An event's body. `transactionFrom` is who sent its transaction: the merchant, its staff, the customer, or anyone
 *  at all (anyone may settle a booking whose time has come). `event.args` carries everything the event says, e.g.
 *  who checked a customer in and whether by the customer's signature, a dispute's reason, a staff member's roles. */
export function eventBody(
  p: EventPosition,
  name: string,
  args: EscrowEvent["args"],
  merchant: Address | null,
  booking: { view: BookingView; asOfBlock: bigint } | null,
  transactionFrom: Address,
): string {
  return JSON.stringify({
    id: p.id,
    type: "event",
    ...position(p),
    transactionFrom,
    merchant,
    event: { name, args: toJson(args) },
    booking: booking && {
      ...(toJson(booking.view) as object),
      status: statusNames[booking.view.status] ?? String(booking.view.status),
      statusCode: booking.view.status,
      asOfBlock: Number(booking.asOfBlock),
    },
  });
}

export function alertBody(alert: Alert, p: EventPosition, eventName: string): string {
  return JSON.stringify({
    id: alert.id,
    type: "alert",
    rule: alert.rule,
    subject: alert.subject,
    message: alert.message,
    details: alert.details,
    ...position(p),
    event: { id: p.id, name: eventName },
  });
}
