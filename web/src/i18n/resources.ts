// The messages, by language and namespace. What a customer sees on first visit is bundled in English and loaded
// before first shown in another language; the booking pass's, the merchant console's, the auditor's, the Ledger's
// and the reviews' load with their pages, and the failure messages with the first transaction (both languages at
// once, so switching stays instant once a language is loaded).
import enCommon from "./locales/en/common";
import enCustomer from "./locales/en/customer";
import type enAudit from "./locales/en/audit";
import type enErrors from "./locales/en/errors";
import type enLedger from "./locales/en/ledger";
import type enMerchant from "./locales/en/merchant";
import type enPass from "./locales/en/pass";
import type enReviews from "./locales/en/reviews";

export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];

/** The first visit's namespaces in English, bundled. */
export const resources = { en: { common: enCommon, customer: enCustomer } } as const;

type FirstVisit = { [NS in keyof (typeof resources)["en"]]: Messages };

/** The first visit's namespaces in `locale`: bundled for English, loaded for the others. */
export async function firstVisitMessages(locale: Locale): Promise<FirstVisit> {
  if (locale === "en") return resources.en;
  const [common, customer] = await Promise.all([import("./locales/zh-CN/common"), import("./locales/zh-CN/customer")]);
  return { common: common.default, customer: customer.default };
}

type Messages = Record<string, unknown>;
type Loader = () => Promise<{ default: Messages }>;

/** Namespaces loaded on demand, per language. */
export const lazyResources = {
  merchant: { en: () => import("./locales/en/merchant"), "zh-CN": () => import("./locales/zh-CN/merchant") },
  audit: { en: () => import("./locales/en/audit"), "zh-CN": () => import("./locales/zh-CN/audit") },
  ledger: { en: () => import("./locales/en/ledger"), "zh-CN": () => import("./locales/zh-CN/ledger") },
  pass: { en: () => import("./locales/en/pass"), "zh-CN": () => import("./locales/zh-CN/pass") },
  errors: { en: () => import("./locales/en/errors"), "zh-CN": () => import("./locales/zh-CN/errors") },
  reviews: { en: () => import("./locales/en/reviews"), "zh-CN": () => import("./locales/zh-CN/reviews") },
} satisfies Record<string, Record<Locale, Loader>>;

export type LazyNamespace = keyof typeof lazyResources;

/** The English messages of every namespace, bundled or not: what keys are checked against. */
export type EnglishResources = (typeof resources)["en"] & {
  merchant: typeof enMerchant;
  audit: typeof enAudit;
  ledger: typeof enLedger;
  pass: typeof enPass;
  errors: typeof enErrors;
  reviews: typeof enReviews;
};
