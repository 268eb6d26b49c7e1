import { useTranslation } from "../i18n";
import { locales, setLocale, type Locale } from "../i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t("language.label")}</span>
      <select
        value={i18n.language}
        onChange={(e) => setLocale(e.target.value as Locale)}
        data-testid="language"
        aria-label={t("language.label")}
      >
        {locales.map((locale) => (
          <option key={locale} value={locale}>
            {t(`language.${locale}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
