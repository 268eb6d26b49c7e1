import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "../i18n";
import { deploymentOn, localRpcUrl } from "../config";
import { validate, type AuditInput, type FieldError, type Fields } from "./validate";

/** Prefilled for the local chain: its RPC, and its escrow when one is deployed there. */
const initialFields: Fields = {
  rpcUrl: localRpcUrl,
  escrow: deploymentOn(31337)?.escrow ?? "",
  fromBlock: "",
  toBlock: "",
};

type Props = { running: boolean; onRun: (input: AuditInput) => void; onCancel: () => void };

export function AuditForm({ running, onRun, onCancel }: Props) {
  const { t } = useTranslation("audit");
  const [fields, setFields] = useState(initialFields);
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, FieldError>>>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validate(fields);
    if (checked.ok) {
      setErrors({});
      onRun(checked.input);
    } else setErrors(checked.errors);
  }

  const field = (name: keyof Fields, inputMode: "url" | "text" | "numeric") => (
    <Field
      name={name}
      inputMode={inputMode}
      value={fields[name]}
      error={errors[name]}
      disabled={running}
      onChange={(value) => {
        setFields((f) => ({ ...f, [name]: value }));
        // The message belonged to the old value.
        setErrors((e) => ({ ...e, [name]: undefined }));
      }}
    />
  );

  return (
    <form className="audit-form" onSubmit={submit} noValidate>
      {field("rpcUrl", "url")}
      {field("escrow", "text")}
      <div className="audit-blocks">
        {field("fromBlock", "numeric")}
        {field("toBlock", "numeric")}
      </div>
      <p className="muted">{t("form.blocksHint")}</p>
      <div className="actions">
        <button type="submit" className="primary" disabled={running} data-testid="audit-run">
          {t("form.run")}
        </button>
        {running && (
          <button type="button" onClick={onCancel} data-testid="audit-cancel">
            {t("form.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

type FieldProps = {
  name: keyof Fields;
  inputMode: "url" | "text" | "numeric";
  value: string;
  error: FieldError | undefined;
  disabled: boolean;
  onChange: (value: string) => void;
};

function Field({ name, inputMode, value, error, disabled, onChange }: FieldProps) {
  const { t } = useTranslation("audit");
  const id = useId();
  return (
    <label>
      {t(`form.${name}`)}
      <input
        name={name}
        inputMode={inputMode}
        spellCheck={false}
        autoComplete="off"
        value={value}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={error ? id : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-testid={`audit-${name}`}
      />
      {error && (
        <span id={id} className="audit-invalid" data-testid={`audit-${name}-error`}>
          {t(`invalid.${error}`)}
        </span>
      )}
    </label>
  );
}
