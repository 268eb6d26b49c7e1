import { useTranslation } from "../i18n";
import { weekdayName } from "../offerings/opening-hours-text";
import type { OpeningPeriodInput } from "./policy-form";

const WEEK = [1, 2, 3, 4, 5, 6, 7];

/** Opening hours as rows: the weekdays a period is on and its opening and closing times, any number of rows (a
 *  lunch and a dinner service are two). */
export function OpeningHoursInput({
  value,
  onChange,
  problems,
}: {
  value: OpeningPeriodInput[];
  onChange: (value: OpeningPeriodInput[]) => void;
  /** The problems with each row, by index, shown under it. */
  problems: (index: number) => string[];
}) {
  const { t, i18n } = useTranslation("merchant");
  const locale = i18n.language;
  const setRow = (index: number, row: OpeningPeriodInput) => onChange(value.map((x, i) => (i === index ? row : x)));
  const toggleDay = (index: number, day: number) => {
    const { days } = value[index];
    setRow(index, { ...value[index], days: days.includes(day) ? days.filter((d) => d !== day) : [...days, day] });
  };

  return (
    <div className="opening-hours" data-testid="opening-hours-input">
      {value.length === 0 && <p className="muted">{t("builder.alwaysOpen")}</p>}
      <ol className="periods">
        {value.map((row, i) => (
          <li key={i} data-testid="opening-period">
            <fieldset className="days">
              <legend className="visually-hidden">{t("builder.periodDays", { n: i + 1 })}</legend>
              {WEEK.map((day) => (
                <label key={day} className="day" title={weekdayName(day, locale, "long")}>
                  <input
                    type="checkbox"
                    data-testid={`period-${i}-day-${day}`}
                    checked={row.days.includes(day)}
                    onChange={() => toggleDay(i, day)}
                  />
                  <span>{weekdayName(day, locale)}</span>
                </label>
              ))}
            </fieldset>
            <span className="clock-range">
              <input
                type="time"
                aria-label={t("builder.periodOpens", { n: i + 1 })}
                data-testid={`period-${i}-opens`}
                value={row.opens}
                onChange={(e) => setRow(i, { ...row, opens: e.target.value })}
              />
              <span aria-hidden="true">–</span>
              <input
                type="time"
                aria-label={t("builder.periodCloses", { n: i + 1 })}
                data-testid={`period-${i}-closes`}
                value={row.closes}
                onChange={(e) => setRow(i, { ...row, closes: e.target.value })}
              />
              {row.closes !== "" && row.opens !== "" && row.closes <= row.opens && (
                <span className="muted">{t("builder.closesNextDay")}</span>
              )}
              <button
                type="button"
                className="link"
                data-testid={`period-${i}-remove`}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                {t("builder.removePeriod")}
              </button>
            </span>
            {problems(i).map((text) => (
              <p key={text} className="field-problem" data-testid="field-problem" data-field={`openingHours.${i}`}>
                {text}
              </p>
            ))}
          </li>
        ))}
      </ol>
      <button
        type="button"
        data-testid="add-period"
        onClick={() =>
          // A new row starts from the last one's times (a second service on other days is common), else an evening.
          onChange([
            ...value,
            { days: [], opens: value.at(-1)?.opens ?? "18:00", closes: value.at(-1)?.closes ?? "23:00" },
          ])
        }
      >
        {t("builder.addPeriod")}
      </button>
    </div>
  );
}
