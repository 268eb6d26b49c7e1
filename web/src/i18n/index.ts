// Translations for the dApp's two languages. A few dozen lines instead of i18next + react-i18next, which weighed
// 20 kB gzip of a 200 kB first-load budget for features (plurals, back-ends, detection) the dApp does not use.
// Keys are type-checked against the English files; `locales.test.ts` keeps Chinese in step.
import { useMemo, useSyncExternalStore } from "react";
import {
  firstVisitMessages,
  lazyResources,
  locales,
  resources,
  type EnglishResources,
  type LazyNamespace,
  type Locale,
} from "./resources";

export { locales, type LazyNamespace, type Locale } from "./resources";

type Resources = EnglishResources;
export type Namespace = keyof Resources;

/** The CLDR plural categories `Intl.PluralRules` picks from. */
type PluralCategory = "zero" | "one" | "two" | "few" | "many" | "other";

/** A plural form's key without its category: "seats_one" and "seats_other" are both asked for as "seats". */
type PluralBase<K extends string> = K extends `${infer Base}_${PluralCategory}` ? Base : K;

/** "a.b.c" for every string leaf of a nested message object. */
type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${PluralBase<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

type KeyIn<NS extends Namespace> = Leaves<Resources[NS]>;
/** A key of another namespace, written "namespace:key". */
type QualifiedKey = { [NS in Namespace]: `${NS}:${KeyIn<NS>}` }[Namespace];

export type Values = Record<string, string | number>;
export type TFunction<NS extends Namespace = "common"> = (key: KeyIn<NS> | QualifiedKey, values?: Values) => string;

const STORAGE_KEY = "earnest.locale";

/** The remembered choice, else the browser's language when it is Chinese, else English. */
export function initialLocale(): Locale {
  const saved = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  if (saved && (locales as readonly string[]).includes(saved)) return saved as Locale;
  return typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** English until the chosen language's messages are in (`i18nReady`). */
let language: Locale = "en";
const listeners = new Set<() => void>();

/** The namespaces loaded so far, per language: English's first-visit ones are bundled. */
const messages: Record<Locale, Record<string, unknown>> = { en: { ...resources.en }, "zh-CN": {} };
const firstVisitLoads = new Map<Locale, Promise<void>>();

/** Loads the first visit's messages of `locale` once. */
function loadLocale(locale: Locale): Promise<void> {
  let done = firstVisitLoads.get(locale);
  if (!done) {
    done = firstVisitMessages(locale).then((loaded) => void Object.assign(messages[locale], loaded));
    // A failed load (a dropped connection) may be retried.
    done.catch(() => firstVisitLoads.delete(locale));
    firstVisitLoads.set(locale, done);
  }
  return done;
}
const loading = new Map<LazyNamespace, Promise<void>>();

/** Loads the messages of `namespaces` in every language; a page that uses them awaits this before it renders. */
export function loadNamespaces(...namespaces: LazyNamespace[]): Promise<void> {
  return Promise.all(
    namespaces.map((ns) => {
      let done = loading.get(ns);
      if (!done) {
        done = Promise.all(
          locales.map(async (locale) => {
            messages[locale][ns] = (await lazyResources[ns][locale]()).default;
          }),
        ).then(() => undefined);
        // A failed load (a dropped connection) may be retried.
        done.catch(() => loading.delete(ns));
        loading.set(ns, done);
      }
      return done;
    }),
  ).then(() => undefined);
}

/** A lazily imported module, once its namespaces' messages are loaded too (for `React.lazy`). */
export async function withMessages<M>(module: Promise<M>, ...namespaces: LazyNamespace[]): Promise<M> {
  const [loaded] = await Promise.all([module, loadNamespaces(...namespaces)]);
  return loaded;
}

function lookup(locale: Locale, namespace: string, key: string): string | undefined {
  let node: unknown = messages[locale][namespace];
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : undefined;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The form of `path` for `count` in `locale` ("seats_one", "seats_other"), or `path` itself when it has no
 *  plural forms. English has "one" and "other"; Chinese only "other". */
function pluralLookup(locale: Locale, namespace: string, path: string, count: number): string | undefined {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return lookup(locale, namespace, `${path}_${rules.select(count)}`) ?? lookup(locale, namespace, `${path}_other`);
}

/** Translates `key` (in `namespace`, or "namespace:key") and fills its {{placeholders}}; a numeric `count` picks
 *  the plural form. An unknown key shows itself, so a gap is visible rather than blank. */
export function translate(namespace: string, key: string, values?: Values): string {
  const [ns, path] = key.includes(":") ? (key.split(":", 2) as [string, string]) : [namespace, key];
  const count = values?.count;
  const plural = typeof count === "number" ? pluralLookup(language, ns, path, count) : undefined;
  const text = plural ?? lookup(language, ns, path) ?? key;
  return values ? text.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => String(values[name] ?? match)) : text;
}

async function changeLanguage(locale: Locale): Promise<void> {
  await loadLocale(locale);
  language = locale;
  document.documentElement.lang = locale;
  listeners.forEach((listener) => listener());
}

/** Switches the language everywhere and remembers the choice. */
export function setLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
  void changeLanguage(locale);
}

const i18n = {
  get language(): Locale {
    return language;
  },
  changeLanguage,
  t: ((key: string, values?: Values) => translate("common", key, values)) as TFunction,
};
export default i18n;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `t` for `namespace` (the first of a list; the others are reached as "namespace:key"); re-renders on a change
 *  of language. */
export function useTranslation<NS extends Namespace = "common">(
  namespace?: NS | readonly [NS, ...Namespace[]],
): { t: TFunction<NS>; i18n: typeof i18n } {
  const current = useSyncExternalStore(subscribe, () => language);
  const ns = (Array.isArray(namespace) ? namespace[0] : (namespace ?? "common")) as string;
  // A new `t` for each language, so memoised callers recompute when it changes.
  const t = useMemo(() => (key: string, values?: Values) => translate(ns, key, values), [ns, current]);
  return { t, i18n };
}

/** Settles once the remembered or the browser's language can be shown; the app renders after it. */
export const i18nReady: Promise<void> =
  typeof document === "undefined" ? Promise.resolve() : changeLanguage(initialLocale());
