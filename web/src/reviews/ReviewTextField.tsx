// A review's or an answer's text, counted in bytes as the contract counts it (MAX_REVIEW_TEXT_BYTES of UTF-8).
import { useId } from "react";
import { MAX_REVIEW_TEXT_BYTES } from "@earnest/sdk";
import { useTranslation } from "../i18n";
import { byteLength } from "./queries";

/** Whether `text` fits the contract's limit. */
export const fitsReview = (text: string) => byteLength(text) <= MAX_REVIEW_TEXT_BYTES;

export function ReviewTextField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Names the textarea, its count and its error for the tests: `${testId}`, `-count`, `-too-long`. */
  testId: string;
}) {
  const { t } = useTranslation("reviews");
  const countId = useId();
  const bytes = byteLength(value);
  const tooLong = bytes > MAX_REVIEW_TEXT_BYTES;
  return (
    <>
      <label className="field">
        <span>{label}</span>
        <textarea
          data-testid={testId}
          value={value}
          rows={4}
          aria-invalid={tooLong}
          aria-describedby={countId}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      <p id={countId} className={tooLong ? "problems" : "muted"} data-testid={`${testId}-count`}>
        {t("bytes", { count: bytes, max: MAX_REVIEW_TEXT_BYTES })}
      </p>
      {tooLong && (
        <p role="alert" className="problems" data-testid={`${testId}-too-long`}>
          {t("tooLong", { max: MAX_REVIEW_TEXT_BYTES })}
        </p>
      )}
    </>
  );
}
