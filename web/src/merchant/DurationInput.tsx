import { useTranslation } from "../i18n";
import { UNITS, type Duration, type Unit } from "./policy-form";

/** A number and a unit (minutes, hours, days). */
export function DurationInput({
  value,
  onChange,
  label,
  testId,
}: {
  value: Duration;
  onChange: (value: Duration) => void;
  label: string;
  testId: string;
}) {
  const { t } = useTranslation("merchant");
  return (
    <span className="duration">
      <input
        inputMode="decimal"
        aria-label={label}
        data-testid={testId}
        value={value.amount}
        onChange={(e) => onChange({ ...value, amount: e.target.value })}
      />
      <select
        aria-label={t("builder.unit")}
        data-testid={`${testId}-unit`}
        value={value.unit}
        onChange={(e) => onChange({ ...value, unit: e.target.value as Unit })}
      >
        {(Object.keys(UNITS) as Unit[]).map((unit) => (
          <option key={unit} value={unit}>
            {t(`builder.units.${unit}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
