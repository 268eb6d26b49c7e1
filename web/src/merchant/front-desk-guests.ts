// The names of guests whose passes this desk has verified, so the lists show "Ada Lovelace", not "0x90F7…b906".
// The chain holds only a hash of a booking's details: a name is known once its pass is checked, and it stays in
// this browser tab only (sessionStorage), like the pass it came from.
import { useSyncExternalStore } from "react";

const KEY = "earnest.deskGuests";
const listeners = new Set<() => void>();

function load(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

let guests = typeof sessionStorage === "undefined" ? {} : load();

/** Remembers the name on a verified pass of `bookingId`. */
export function rememberGuest(bookingId: bigint, name: string): void {
  if (!name || guests[String(bookingId)] === name) return;
  guests = { ...guests, [String(bookingId)]: name };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(guests));
  } catch {
    // A full or disabled storage only loses the names on reload.
  }
  listeners.forEach((listener) => listener());
}

/** The name of the guest of `bookingId`, once this desk has verified their pass. */
export function useGuestName(bookingId: bigint): string | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => guests[String(bookingId)],
  );
}
