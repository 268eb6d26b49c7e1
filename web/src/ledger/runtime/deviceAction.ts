// Turns a DMK device action (an observable of states plus cancel) into a promise, and tells the overlay
// what the device is waiting for so the user knows to look at it, with a way to give up.
import {
  DeviceActionStatus,
  type DeviceActionIntermediateValue,
  type ExecuteDeviceActionReturnType,
} from "@ledgerhq/device-management-kit";
import type { Subscription } from "rxjs";
import { LedgerError, describeLedgerError } from "../errors";
import { setLedgerStatus, type LedgerPrompt } from "../status";

function promptFor(interaction: string, idle: LedgerPrompt | undefined): LedgerPrompt | undefined {
  switch (interaction) {
    case "none":
      return idle;
    case "unlock-device":
      return "unlock";
    case "confirm-open-app":
      return "openApp";
    default:
      return "confirm"; // sign-transaction, sign-typed-data, sign-personal-message, verify-address, …
  }
}

/**
 * @param idle what to show while no interaction is required: "confirm" for signatures (the review screen is
 * moments away), nothing for quick reads such as deriving addresses.
 */
export function runDeviceAction<Output, Failure, Intermediate extends DeviceActionIntermediateValue>(
  action: ExecuteDeviceActionReturnType<Output, Failure, Intermediate>,
  idle?: LedgerPrompt,
): Promise<Output> {
  return new Promise<Output>((resolve, reject) => {
    let settled = false;
    const live: { subscription?: Subscription } = {};
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      live.subscription?.unsubscribe();
      setLedgerStatus({ kind: "idle" });
      outcome();
    };
    const fail = (error: unknown) =>
      settle(() => reject(new LedgerError(describeLedgerError(error), { cause: error })));
    const cancel = () => {
      action.cancel();
      settle(() => reject(new LedgerError({ key: "cancelled" })));
    };

    live.subscription = action.observable.subscribe({
      next(state) {
        switch (state.status) {
          case DeviceActionStatus.Pending: {
            const prompt = promptFor(state.intermediateValue.requiredUserInteraction, idle);
            setLedgerStatus(prompt ? { kind: "waiting", prompt, cancel } : { kind: "idle" });
            break;
          }
          case DeviceActionStatus.Completed:
            settle(() => resolve(state.output));
            break;
          case DeviceActionStatus.Error:
            fail(state.error);
            break;
          case DeviceActionStatus.Stopped:
            settle(() => reject(new LedgerError({ key: "cancelled" })));
            break;
        }
      },
      error: fail,
      complete: () => fail(new Error("the device action ended without a result")),
    });
    if (settled) live.subscription.unsubscribe(); // the observable answered synchronously
  });
}
