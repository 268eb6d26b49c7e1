import { useMemo, useState, type ReactNode } from "react";
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
  validateTerms,
  type OfferingTerms,
} from "@earnest/sdk";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { DurationInput } from "./DurationInput";
import { formToTerms, type PolicyForm } from "./policy-form";
import { formProblemText, termsProblemText } from "./problem-text";

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

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** The offering form: every term, the policy previewed in the words customers read, and nothing sent while a
 *  problem remains. */
export function PolicyBuilder({ initial, tokens, merchant, payout, feeBps, busy, onPublish }: Props) {
  const { t, i18n } = useTranslation("merchant");
  const locale = i18n.language;
  const [form, setForm] = useState(initial);
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const token = tokens.find((x) => x.address === form.token) ?? tokens[0];

  const { terms, messages } = useMemo(() => {
    const parsed = formToTerms(form, token.decimals);
    const termProblems = parsed.terms ? validateTerms(parsed.terms, { merchant, payout, feeBps }) : [];
    return {
      terms: parsed.terms,
      messages: [
        ...parsed.problems.map((p) => ({ code: p.code, text: formProblemText(p, t) })),
        ...termProblems.map((p) => ({ code: p.code, text: termsProblemText(p, t, locale) })),
      ],
    };
  }, [form, token.decimals, merchant, payout, feeBps, t, locale]);
  const policy = terms ? describePolicy(terms, locale) : undefined;

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
        if (terms && messages.length === 0) onPublish(terms);
      }}
    >
      <fieldset>
        <legend>{t("builder.about")}</legend>
        <Field label={t("builder.field.name")}>
          <input data-testid="offering-name" value={form.name} onChange={(e) => set("name", e.target.value)} />
        </Field>
        <Field label={t("builder.field.description")}>
          <textarea value={form.description} onChange={(e) => set("description", e.target.value)} />
        </Field>
        <Field label={t("builder.field.timeZone")}>
          <input
            data-testid="offering-time-zone"
            value={form.timeZone}
            onChange={(e) => set("timeZone", e.target.value)}
          />
        </Field>
        <Field label={t("builder.field.hours")}>
          <input value={form.hours} onChange={(e) => set("hours", e.target.value)} />
        </Field>
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
        <Field label={t("builder.field.deposit")}>
          <input
            inputMode="decimal"
            data-testid="offering-deposit"
            value={form.deposit}
            onChange={(e) => set("deposit", e.target.value)}
          />
        </Field>
        <Field label={t("builder.field.seats")}>
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
        <Field label={t("builder.field.slotLength")}>
          <DurationInput
            label={t("builder.field.slotLength")}
            testId="offering-slot-length"
            value={form.slotLength}
            onChange={(v) => set("slotLength", v)}
          />
        </Field>
        <Field label={t("builder.field.firstDate")}>
          <span className="duration">
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
        <Field label={t("builder.field.minLead")}>
          <DurationInput
            label={t("builder.field.minLead")}
            testId="offering-min-lead"
            value={form.minLead}
            onChange={(v) => set("minLead", v)}
          />
        </Field>
        <Field label={t("builder.field.maxAdvance")}>
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
        <Field label={t("builder.field.noShow")}>
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
        <Field label={t("builder.field.disputeWindow")}>
          <DurationInput
            label={t("builder.field.disputeWindow")}
            testId="offering-dispute-window"
            value={form.disputeWindow}
            onChange={(v) => set("disputeWindow", v)}
          />
        </Field>
        <Field label={t("builder.field.arbiter")}>
          <input
            data-testid="offering-arbiter"
            placeholder="0x…"
            value={form.arbiter}
            onChange={(e) => set("arbiter", e.target.value)}
          />
        </Field>
        {form.arbiter.trim() !== "" && (
          <Field label={t("builder.field.arbiterTimeout")}>
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
        <Field label={t("builder.field.maxFee")}>
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
      </fieldset>

      <section className="preview" data-testid="policy-preview" aria-live="polite">
        <h2>{t("builder.preview")}</h2>
        {terms && policy ? (
          <dl className="terms">
            <dt>{t("builder.previewDeposit")}</dt>
            <dd>
              {t("builder.perSeat", { amount: formatAmount(terms.depositPerSeat, token), seats: terms.seatsPerSlot })}
            </dd>
            <dt>{t("builder.previewSlots")}</dt>
            <dd data-testid="preview-slots">
              {t("builder.slotsFrom", {
                length: formatDuration(terms.slotLength, locale),
                first: formatVenueDateTime(terms.firstSlotStart, form.timeZone),
              })}
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
          <ul className="problems">
            {messages.map((m, i) => (
              <li key={i} data-testid="problem" data-code={m.code}>
                {m.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" className="primary" data-testid="publish" disabled={busy || !terms || messages.length > 0}>
        {t("builder.publish")}
      </button>
    </form>
  );
}
