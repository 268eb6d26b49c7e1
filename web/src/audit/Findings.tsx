import { useState } from "react";
import { useTranslation, type TFunction } from "../i18n";
import { type Finding, type TokenUnits, type Verification, BookingStatus } from "@earnest/sdk";
import { shortAddress } from "../lib/format";
import { BookingDetail } from "./BookingDetail";

/** Enough to read on a page; a run with more findings than this is read from the JSON report. */
const SHOWN = 200;

const isStatusName = (value: string): value is keyof typeof BookingStatus => Object.keys(BookingStatus).includes(value);

/** The finding's sentence in the reader's language. The verifier names booking statuses by their enum names, which
 *  are code, so those values are translated too; other values (figures, addresses, field names) stay as they are. */
function findingDetail(t: TFunction<"audit">, finding: Finding): string {
  const values = { ...finding.values };
  const statusValues = values.field === "status" ? ["status", "outcome", "rebuilt", "view"] : ["status", "outcome"];
  for (const name of statusValues) {
    const value = values[name];
    if (value !== undefined && isStatusName(value)) values[name] = t(`status.${value}`);
  }
  return t(`findingText.${finding.text}`, values);
}

/** The findings, each booking id opening the booking the verifier rebuilt. */
export function Findings({ verification, units }: { verification: Verification; units: TokenUnits }) {
  const { t } = useTranslation("audit");
  const [selected, setSelected] = useState<bigint>();
  const { findings } = verification;
  const booking = selected === undefined ? undefined : verification.bookings.get(selected);
  const token = booking && verification.offerings.get(booking.offeringId)?.token;
  return (
    <section>
      <h2>{t("findings.title")}</h2>
      {findings.length === 0 ? (
        <p data-testid="audit-no-findings">{t("findings.none")}</p>
      ) : (
        <table className="audit-table" data-testid="audit-findings">
          <thead>
            <tr>
              <th>{t("findings.kind")}</th>
              <th>{t("findings.booking")}</th>
              <th>{t("findings.details")}</th>
            </tr>
          </thead>
          <tbody>
            {findings.slice(0, SHOWN).map((finding, i) => (
              <FindingRow
                // Findings have no id; their order is stable (the verifier sorts them).
                key={i}
                finding={finding}
                known={finding.bookingId !== undefined && verification.bookings.has(finding.bookingId)}
                onOpen={setSelected}
              />
            ))}
          </tbody>
        </table>
      )}
      {findings.length > SHOWN && (
        <p className="muted">{t("findings.more", { shown: SHOWN, total: findings.length })}</p>
      )}
      {booking && token && (
        <BookingDetail booking={booking} token={token} units={units} onClose={() => setSelected(undefined)} />
      )}
    </section>
  );
}

function FindingRow({ finding, known, onOpen }: { finding: Finding; known: boolean; onOpen: (id: bigint) => void }) {
  const { t } = useTranslation("audit");
  const id = finding.bookingId;
  const where = [
    finding.block !== undefined && t("findings.at", { block: String(finding.block) }),
    finding.account && t("findings.account", { account: shortAddress(finding.account) }),
  ].filter(Boolean);
  return (
    <tr data-testid="audit-finding" data-kind={finding.kind}>
      <td>{t(`kind.${finding.kind}`)}</td>
      <td>
        {id !== undefined &&
          (known ? (
            <button type="button" className="link" onClick={() => onOpen(id)} data-testid="audit-finding-booking">
              {String(id)}
            </button>
          ) : (
            String(id)
          ))}
      </td>
      <td>
        {findingDetail(t, finding)}
        {where.length > 0 && <span className="muted"> · {where.join(" · ")}</span>}
      </td>
    </tr>
  );
}
