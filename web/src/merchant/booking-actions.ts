// The merchant's (or its staff's) moves on a booking, shared by the front desk, the day view and the pass check.
import type { Hex } from "viem";
import { useTranslation } from "../i18n";
import { earnestEscrowAbi } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { useTransactor } from "../tx/TxProvider";

/** The booking a move is about, as its confirmed toast names it: the seats, and the guest's name when the desk
 *  knows it (from the pass; the chain holds only its hash). */
export type BookingRef = { bookingId: bigint; seats: number; name?: string };

export function useBookingActions() {
  const { t } = useTranslation("merchant");
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  const checkedIn = ({ seats, name }: BookingRef) =>
    name ? t("day.checkedInNamed", { name, count: seats }) : t("day.checkedInDone", { count: seats });
  return {
    /** The merchant's word: from the slot's start, on offerings that accept it. */
    checkIn: (booking: BookingRef) =>
      transactor.send({
        label: t("day.checkInLabel"),
        address: deployment!.escrow,
        abi: earnestEscrowAbi,
        functionName: "checkIn",
        args: [booking.bookingId],
        done: checkedIn(booking),
      }),
    /** The customer's signed check-in, from the pass: from shortly before the slot. */
    checkInWithSignature: (booking: BookingRef, signature: Hex) =>
      transactor.send({
        label: t("day.checkInSignedLabel"),
        address: deployment!.escrow,
        abi: earnestEscrowAbi,
        functionName: "checkInWithSignature",
        args: [booking.bookingId, signature],
        done: checkedIn(booking),
      }),
    /** Cancels with a full refund to the customer. */
    cancel: (booking: BookingRef) =>
      transactor.send({
        label: t("day.cancelLabel"),
        address: deployment!.escrow,
        abi: earnestEscrowAbi,
        functionName: "cancelByMerchant",
        args: [booking.bookingId],
        done: t("day.cancelledDone", { count: booking.seats }),
      }),
  };
}
