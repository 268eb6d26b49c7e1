import { useEffect, useState } from "react";
import { useTranslation } from "../i18n";
import { Link } from "wouter";
import { useAccount } from "wagmi";
import { parseMetadata } from "@earnest/sdk";
import { useCustomerBookings } from "../lib/customer-bookings";
import { useChainNow, useOfferings } from "../lib/chain";
import { formatVenueDateTime } from "../lib/format";
import { dueReminders, type Reminder } from "./reminders";

const NOTIFIED_KEY = "earnest.notified";

function notifiedIds(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(NOTIFIED_KEY) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

/** In-app reminders before free cancellation ends, and a browser notification once per booking when allowed. */
export function ReminderBanner() {
  const { t } = useTranslation(["customer", "common"]);
  const { address } = useAccount();
  const { data: bookings } = useCustomerBookings(address);
  const { data: offerings } = useOfferings();
  const now = useChainNow();
  const [permission, setPermission] = useState(() =>
    typeof Notification === "undefined" ? "unsupported" : Notification.permission,
  );
  const reminders: Reminder[] = bookings && offerings && now ? dueReminders(bookings, offerings.offerings, now) : [];
  const metaOf = (r: Reminder) =>
    parseMetadata(offerings?.offerings.find((o) => o.id === r.offeringId)?.metadata ?? "");
  const nameOf = (r: Reminder) => metaOf(r).name;
  const timeOf = (r: Reminder) => formatVenueDateTime(r.endsAt, metaOf(r).timeZone);

  useEffect(() => {
    if (permission !== "granted" || reminders.length === 0) return;
    const done = notifiedIds();
    for (const r of reminders) {
      if (done.has(String(r.bookingId))) continue;
      new Notification(t("reminder.notificationTitle"), {
        body: t("reminder.text", { name: nameOf(r), time: timeOf(r) }),
        tag: String(r.bookingId),
      });
      done.add(String(r.bookingId));
    }
    localStorage.setItem(NOTIFIED_KEY, JSON.stringify([...done]));
  });

  if (reminders.length === 0) return null;
  // Folded to one line (a phone keeps its screen); the first reminder is in the summary, the rest one tap away.
  return (
    <aside className="banner info compact" data-testid="reminder">
      <details>
        <summary>{t("reminder.summary", { count: reminders.length, first: nameOf(reminders[0]) })}</summary>
        <ul>
          {reminders.map((r) => (
            <li key={String(r.bookingId)}>
              {t("reminder.text", { name: nameOf(r), time: timeOf(r) })}{" "}
              <Link href="/bookings">{t("reminder.review")}</Link>
            </li>
          ))}
        </ul>
        {permission === "default" && (
          <p>
            <button type="button" onClick={() => void Notification.requestPermission().then((p) => setPermission(p))}>
              {t("reminder.enableNotifications")}
            </button>
          </p>
        )}
      </details>
    </aside>
  );
}
