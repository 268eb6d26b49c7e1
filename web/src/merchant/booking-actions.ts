// The merchant's (or its staff's) moves on a booking, shared by the day view and the pass check.
import type { Hex } from "viem";
import { useTranslation } from "../i18n";
import { earnestEscrowAbi } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { useTransactor } from "../tx/TxProvider";

export function useBookingActions() {
  const { t } = useTranslation("merchant");
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  const call = (functionName: "checkIn" | "cancelByMerchant", label: string) => (bookingId: bigint) =>
    transactor.send({ label, address: deployment!.escrow, abi: earnestEscrowAbi, functionName, args: [bookingId] });
  return {
    /** The merchant's word: from the slot's start, on offerings that accept it. */
    checkIn: call("checkIn", t("day.checkInLabel")),
    /** The customer's signed check-in, from the pass: from shortly before the slot. */
    checkInWithSignature: (bookingId: bigint, signature: Hex) =>
      transactor.send({
        label: t("day.checkInSignedLabel"),
        address: deployment!.escrow,
        abi: earnestEscrowAbi,
        functionName: "checkInWithSignature",
        args: [bookingId, signature],
      }),
    cancel: call("cancelByMerchant", t("day.cancelLabel")),
  };
}
