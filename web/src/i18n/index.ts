// i18next with every namespace bundled: the two locales are small, and a lazy locale would flash untranslated text.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { resources, type Locale } from "./resources";

export { locales, type Locale } from "./resources";

const STORAGE_KEY = "earnest.locale";

/** The remembered choice, else the browser's language when it is Chinese, else English. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "en" || saved === "zh-CN") return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function setLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  void i18n.changeLanguage(locale);
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLocale(),
  fallbackLng: false,
  defaultNS: "common",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
