// The merchant's two moves on a booking, shared by the day view and the pass check.
import { useTranslation } from "../i18n";
import { CHECK_IN_OPENS_BEFORE_START, earnestEscrowAbi } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { useTransactor } from "../tx/TxProvider";

/** When the contract lets a booking be checked in: from a bounded time before its slot until the slot ends. */
export function checkInWindow(slotStart: number, slotLength: number): { opensAt: number; closesAt: number } {
  return { opensAt: slotStart - CHECK_IN_OPENS_BEFORE_START, closesAt: slotStart + slotLength };
}

export function useBookingActions() {
  const { t } = useTranslation("merchant");
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  const call = (functionName: "checkIn" | "cancelByMerchant", label: string) => (bookingId: bigint) =>
    transactor.send({ label, address: deployment!.escrow, abi: earnestEscrowAbi, functionName, args: [bookingId] });
  return {
    checkIn: call("checkIn", t("day.checkInLabel")),
    cancel: call("cancelByMerchant", t("day.cancelLabel")),
  };
}
