import { useTranslation } from "../i18n";
import type { LedgerMessage } from "./errors";

/** A described device state, in the reader's language. */
export function LedgerMessageText({ message }: { message: LedgerMessage }) {
  const { t } = useTranslation("ledger");
  // Every placeholder any of these messages uses, so one call type-checks for the whole union of keys.
  const values = { address: "", detail: "", ...message.values };
  return <>{t(`errors.${message.key}`, values)}</>;
}
