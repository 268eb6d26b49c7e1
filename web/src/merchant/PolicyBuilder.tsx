import { useId, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import {
  type TokenInfo,
  CHECK_IN_OPENS_BEFORE_START,
  CheckInRule,
  describePolicy,
  formatDuration,
  formatShare,
  MAX_FEE_BPS,
  MAX_TIERS,
  parseMetadata,
  split,
  validateTerms,
  type OfferingTerms,
} from "@earnest/sdk";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { openingHoursText } from "../offerings/opening-hours-text";
import { DurationInput } from "./DurationInput";
import { OpeningHoursInput } from "./OpeningHoursInput";
import { formToTerms, type FormField, type PolicyForm } from "./policy-form";
import { formProblemText, termsProblemFields, termsProblemText } from "./problem-text";
import { TimeZoneInput } from "./TimeZoneInput";

type Props = {
  initial: PolicyForm;
  tokens: TokenInfo[];
  /** The publishing account and its payout address: an offering may name neither as its arbiter. */
  merchant: Address;
  payout: Address;
  /** The protocol fee in force for new bookings. */
  feeBps: number;
  busy: boolean;
  onPublish: (terms: OfferingTerms) => void;
};

type Message = { code: string; field?: FormField; text: string };

/** The problems shown beside one field. */
function FieldProblems({ id, field, messages }: { id?: string; field: FormField; messages: Message[] }) {
  const mine = messages.filter((m) => m.field === field);
  if (mine.length === 0) return null;
  return (
    <span id={id} className="field-problems">
      {mine.map((m) => (
        <span key={m.code} className="field-problem" data-testid="field-problem" data-field={field}>
          {m.text}
        </span>
      ))}
    </span>
  );
}

function Field({
  label,
  field,
  messages,
  children,
}: {
  label: string;
  field?: FormField;
  messages?: Message[];
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label>
        <span>{label}</span>
        {children}
      </label>
      {field && messages && <FieldProblems field={field} messages={messages} />}
    </div>
  );
}

/** The offering form: every term, every problem at once (beside its field and in one list), the policy previewed in
 *  the words customers read once the terms hold, what the merchant receives after the fee, and nothing sent while a
 *  problem remains. */
export function PolicyBuilder({ initial, tokens, merchant, payout, feeBps, busy, onPublish }: Props) {
  const { t, i18n } = useTranslation("merchant");
  const locale = i18n.language;
  const [form, setForm] = useState(initial);
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const token = tokens.find((x) => x.address === form.token) ?? tokens[0];

  const zoneProblemId = useId();
  const { terms, messages } = useMemo(() => {
    const parsed = formToTerms(form, token.decimals);
    const unread = new Set(parsed.problems.map((p) => p.field));
    // The sense problems of what can be read, alongside the typing problems of what cannot.
    const termProblems = validateTerms(parsed.terms, { merchant, payout, feeBps }).flatMap((problem) => {
      const fields = termsProblemFields(problem);
      return fields.some((field) => unread.has(field)) ? [] : [{ problem, field: fields.at(0) }];
    });
    const messages: Message[] = [
      ...parsed.problems.map((p) => ({ code: p.code, field: p.field, text: formProblemText(p, t) })),
      ...termProblems.map(({ problem, field }) => ({
        code: problem.code,
        field,
        text: termsProblemText(problem, t, locale),
      })),
    ];
    return { terms: parsed.terms, messages };
  }, [form, token.decimals, merchant, payout, feeBps, t, locale]);
  // Never preview terms that do not hold: a 150 % no-show share is a problem to fix, not a policy to read.
  const sound = messages.length === 0;
  const policy = sound ? describePolicy(terms, locale) : undefined;
  const openingHours = sound ? parseMetadata(terms.metadata).openingHours : undefined;
  // What the merchant receives is the sdk's split of a deposit, at the fee in force now; shown as soon as the
  // deposit, seats and no-show share hold, whatever else is still being typed.
  const receiveFields: FormField[] = ["deposit", "seats", "noShow"];
  const receive = messages.some((m) => m.field && receiveFields.includes(m.field))
    ? undefined
    : {
        seat: {
          fulfilled: split(terms.depositPerSeat, 0, feeBps),
          noShow: split(terms.depositPerSeat, terms.noShowRefundBps, feeBps),
        },
        slot: {
          fulfilled: split(terms.depositPerSeat * BigInt(terms.seatsPerSlot), 0, feeBps),
          noShow: split(terms.depositPerSeat * BigInt(terms.seatsPerSlot), terms.noShowRefundBps, feeBps),
        },
      };
  const fieldProps = (field: FormField) => ({ field, messages });

  const setTier = (index: number, tier: PolicyForm["tiers"][number]) =>
    set(
      "tiers",
      form.tiers.map((x, i) => (i === index ? tier : x)),
    );

  return (
    <form
      className="builder"
      data-testid="policy-builder"
      onSubmit={(e) => {
        e.preventDefault();
        if (sound) onPublish(terms);
      }}
    >
      <fieldset>
        <legend>{t("builder.about")}</legend>
        <Field label={t("builder.field.name")} {...fieldProps("name")}>
          <input data-testid="offering-name" value={form.name} onChange={(e) => set("name", e.target.value)} />
        </Field>
        <Field label={t("builder.field.description")} {...fieldProps("description")}>
          <textarea value={form.description} onChange={(e) => set("description", e.target.value)} />
        </Field>
        <div className="field">
          <label>
            <span>{t("builder.field.timeZone")}</span>
            <TimeZoneInput
              value={form.timeZone}
              onChange={(zone) => set("timeZone", zone)}
              invalid={messages.some((m) => m.field === "timeZone")}
              describedBy={messages.some((m) => m.field === "timeZone") ? zoneProblemId : undefined}
            />
          </label>
          <span className="muted">{t("builder.timeZoneHelp")}</span>
          <FieldProblems id={zoneProblemId} field="timeZone" messages={messages} />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t("builder.field.openingHours")}</legend>
        <p className="muted">{t("builder.hoursHelp")}</p>
        <OpeningHoursInput
          value={form.openingHours}
          onChange={(rows) => set("openingHours", rows)}
          problems={(i) => messages.filter((m) => m.field === `openingHours.${i}`).map((m) => m.text)}
        />
      </fieldset>

      <fieldset>
        <legend>{t("builder.deposit")}</legend>
        <Field label={t("builder.field.token")}>
          <select
            data-testid="offering-token"
            value={form.token}
            onChange={(e) => set("token", e.target.value as Address)}
          >
            {tokens.map((x) => (
              <option key={x.address} value={x.address}>
                {x.symbol}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("builder.field.deposit")} {...fieldProps("deposit")}>
          <input
            inputMode="decimal"
            data-testid="offering-deposit"
            value={form.deposit}
            onChange={(e) => set("deposit", e.target.value)}
          />
        </Field>
        <Field label={t("builder.field.seats")} {...fieldProps("seats")}>
          <input
            inputMode="numeric"
            data-testid="offering-seats"
            value={form.seats}
            onChange={(e) => set("seats", e.target.value)}
          />
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t("builder.schedule")}</legend>
        <Field label={t("builder.field.slotLength")} {...fieldProps("slotLength")}>
          <DurationInput
            label={t("builder.field.slotLength")}
            testId="offering-slot-length"
            value={form.slotLength}
            onChange={(v) => set("slotLength", v)}
          />
        </Field>
        <Field label={t("builder.field.firstDate")} {...fieldProps("firstDate")}>
          <span className="first-slot">
            <input
              type="date"
              data-testid="offering-first-date"
              value={form.firstDate}
              onChange={(e) => set("firstDate", e.target.value)}
            />
            <input
              type="time"
              data-testid="offering-first-time"
              value={form.firstTime}
              onChange={(e) => set("firstTime", e.target.value)}
            />
          </span>
        </Field>
        <Field label={t("builder.field.minLead")} {...fieldProps("minLead")}>
          <DurationInput
            label={t("builder.field.minLead")}
            testId="offering-min-lead"
            value={form.minLead}
            onChange={(v) => set("minLead", v)}
          />
        </Field>
        <Field label={t("builder.field.maxAdvance")} {...fieldProps("maxAdvance")}>
          <DurationInput
            label={t("builder.field.maxAdvance")}
            testId="offering-max-advance"
            value={form.maxAdvance}
            onChange={(v) => set("maxAdvance", v)}
          />
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t("builder.cancellation")}</legend>
        <p className="muted">{t("builder.tiersHelp")}</p>
        <ol className="tiers">
          {form.tiers.map((tier, i) => (
            <li key={i} data-testid="tier">
              <DurationInput
                label={t("builder.tierBefore", { n: i + 1 })}
                testId={`tier-${i}-before`}
                value={tier.before}
                onChange={(before) => setTier(i, { ...tier, before })}
              />
              <input
                inputMode="decimal"
                aria-label={t("builder.tierRefund", { n: i + 1 })}
                data-testid={`tier-${i}-refund`}
                value={tier.refund}
                onChange={(e) => setTier(i, { ...tier, refund: e.target.value })}
              />
              <span>%</span>
              <button
                type="button"
                className="link"
                onClick={() =>
                  set(
                    "tiers",
                    form.tiers.filter((_, j) => j !== i),
                  )
                }
              >
                {t("builder.removeTier")}
              </button>
              <FieldProblems field={`tiers.${i}`} messages={messages} />
            </li>
          ))}
        </ol>
        <button
          type="button"
          data-testid="add-tier"
          disabled={form.tiers.length >= MAX_TIERS}
          onClick={() => set("tiers", [...form.tiers, { before: { amount: "", unit: "h" }, refund: "" }])}
        >
          {t("builder.addTier")}
        </button>
        <Field label={t("builder.field.noShow")} {...fieldProps("noShow")}>
          <span className="duration">
            <input
              inputMode="decimal"
              data-testid="offering-no-show"
              value={form.noShow}
              onChange={(e) => set("noShow", e.target.value)}
            />
            <span>%</span>
          </span>
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t("builder.disputes")}</legend>
        <Field label={t("builder.field.disputeWindow")} {...fieldProps("disputeWindow")}>
          <DurationInput
            label={t("builder.field.disputeWindow")}
            testId="offering-dispute-window"
            value={form.disputeWindow}
            onChange={(v) => set("disputeWindow", v)}
          />
        </Field>
        <Field label={t("builder.field.arbiter")} {...fieldProps("arbiter")}>
          <input
            data-testid="offering-arbiter"
            placeholder="0x…"
            value={form.arbiter}
            onChange={(e) => set("arbiter", e.target.value)}
          />
        </Field>
        {form.arbiter.trim() !== "" && (
          <Field label={t("builder.field.arbiterTimeout")} {...fieldProps("arbiterTimeout")}>
            <DurationInput
              label={t("builder.field.arbiterTimeout")}
              testId="offering-arbiter-timeout"
              value={form.arbiterTimeout}
              onChange={(v) => set("arbiterTimeout", v)}
            />
          </Field>
        )}
      </fieldset>

      <fieldset data-testid="offering-check-in-rule">
        <legend>{t("builder.checkIn")}</legend>
        {([CheckInRule.MerchantWord, CheckInRule.CustomerSignature] as const).map((rule) => (
          <label key={rule} className="choice">
            <input
              type="radio"
              name="checkInRule"
              value={rule}
              data-testid={`check-in-rule-${rule}`}
              checked={form.checkInRule === rule}
              onChange={() => set("checkInRule", rule)}
            />
            <span>
              <strong>{t(`builder.checkInRule.${rule}.label`)}</strong>
              <span className="muted">
                {t(`builder.checkInRule.${rule}.help`, { lead: formatDuration(CHECK_IN_OPENS_BEFORE_START, locale) })}
              </span>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t("builder.fee")}</legend>
        <p className="muted" data-testid="current-fee">
          {t("builder.feeNow", { fee: formatShare(feeBps, locale), cap: formatShare(MAX_FEE_BPS, locale) })}
        </p>
        <Field label={t("builder.field.maxFee")} {...fieldProps("maxFee")}>
          <span className="duration">
            <input
              inputMode="decimal"
              data-testid="offering-max-fee"
              value={form.maxFee}
              onChange={(e) => set("maxFee", e.target.value)}
            />
            <span>%</span>
          </span>
        </Field>
        <p className="muted">{t("builder.feeHelp")}</p>
        <h3>{t("builder.receive")}</h3>
        {receive ? (
          <table className="table receive" data-testid="receive">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t("builder.receiveOutcome")}</span>
                </th>
                <th scope="col">{t("builder.receiveSeat")}</th>
                <th scope="col">{t("builder.receiveSlot", { count: terms.seatsPerSlot })}</th>
              </tr>
            </thead>
            <tbody>
              {(["fulfilled", "noShow"] as const).map((outcome) => (
                <tr key={outcome} data-testid={`receive-${outcome}`}>
                  <th scope="row">
                    {outcome === "fulfilled"
                      ? t("builder.receiveFulfilled")
                      : t("builder.receiveNoShow", { refund: formatShare(terms.noShowRefundBps, locale) })}
                  </th>
                  {([receive.seat[outcome], receive.slot[outcome]] as const).map((result, i) => (
                    <td key={i} data-testid={i === 0 ? "receive-seat" : "receive-slot"}>
                      {t("builder.receiveAmount", {
                        amount: formatAmount(result.merchantShare, token),
                        fee: formatAmount(result.fee, token),
                      })}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{t("builder.receivePending")}</p>
        )}
      </fieldset>

      <section className="preview" data-testid="policy-preview" aria-live="polite">
        <h2>{t("builder.preview")}</h2>
        {policy ? (
          <dl className="terms">
            <dt>{t("builder.previewDeposit")}</dt>
            <dd>
              {t("builder.perSeat", { amount: formatAmount(terms.depositPerSeat, token), seats: terms.seatsPerSlot })}
            </dd>
            <dt>{t("builder.previewSlots")}</dt>
            <dd data-testid="preview-slots">
              {t("builder.slotsFrom", {
                length: formatDuration(terms.slotLength, locale),
                first: formatVenueDateTime(terms.firstSlotStart, parseMetadata(terms.metadata).timeZone),
              })}
            </dd>
            <dt>{t("builder.field.openingHours")}</dt>
            <dd data-testid="preview-hours">
              {openingHours
                ? openingHoursText(openingHours, locale, (time) => t("builder.nextDay", { time })).join(" · ")
                : t("builder.alwaysOpen")}
            </dd>
            <dt>{t("builder.previewWindow")}</dt>
            <dd>
              {t("builder.window", {
                earliest: formatDuration(terms.maxAdvance, locale),
                latest: formatDuration(terms.minLeadTime, locale),
              })}
            </dd>
            <dt>{t("builder.cancellation")}</dt>
            <dd data-testid="preview-cancellation">{policy.cancellation}</dd>
            <dt>{t("builder.noShow")}</dt>
            <dd data-testid="preview-no-show">{policy.noShow}</dd>
            <dt>{t("builder.checkIn")}</dt>
            <dd data-testid="preview-check-in">{policy.checkIn}</dd>
            <dt>{t("builder.disputes")}</dt>
            <dd data-testid="preview-disputes">{policy.disputes}</dd>
            <dt>{t("builder.settlement")}</dt>
            <dd data-testid="preview-settlement">{policy.settlement}</dd>
            <dt>{t("builder.fee")}</dt>
            <dd data-testid="preview-fee">{policy.fee}</dd>
          </dl>
        ) : (
          <p className="muted">{t("builder.previewPending")}</p>
        )}
      </section>

      {messages.length > 0 && (
        // The alert role on a wrapper: on the list itself it would replace the list's role and orphan its items.
        <div role="alert">
          <p className="problems-title">{t("builder.problemsTitle", { count: messages.length })}</p>
          <ul className="problems">
            {messages.map((m, i) => (
              <li key={i} data-testid="problem" data-code={m.code}>
                {m.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" className="primary" data-testid="publish" disabled={busy || !sound}>
        {t("builder.publish")}
      </button>
    </form>
  );
}
