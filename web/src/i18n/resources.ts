// The messages, by language and namespace. What a customer sees on first visit is bundled; the booking pass's, the
// merchant console's, the auditor's and the Ledger's load with their pages (both languages at once, so switching stays instant).
import enCommon from "./locales/en/common";
import enCustomer from "./locales/en/customer";
import enErrors from "./locales/en/errors";
import zhCommon from "./locales/zh-CN/common";
import zhCustomer from "./locales/zh-CN/customer";
import zhErrors from "./locales/zh-CN/errors";
import type enAudit from "./locales/en/audit";
import type enLedger from "./locales/en/ledger";
import type enMerchant from "./locales/en/merchant";
import type enPass from "./locales/en/pass";

export const resources = {
  en: { common: enCommon, customer: enCustomer, errors: enErrors },
  "zh-CN": { common: zhCommon, customer: zhCustomer, errors: zhErrors },
} as const;

export type Locale = keyof typeof resources;
export const locales = Object.keys(resources) as Locale[];

type Messages = Record<string, unknown>;
type Loader = () => Promise<{ default: Messages }>;

/** Namespaces loaded on demand, per language. */
export const lazyResources = {
  merchant: { en: () => import("./locales/en/merchant"), "zh-CN": () => import("./locales/zh-CN/merchant") },
  audit: { en: () => import("./locales/en/audit"), "zh-CN": () => import("./locales/zh-CN/audit") },
  ledger: { en: () => import("./locales/en/ledger"), "zh-CN": () => import("./locales/zh-CN/ledger") },
  pass: { en: () => import("./locales/en/pass"), "zh-CN": () => import("./locales/zh-CN/pass") },
} satisfies Record<string, Record<Locale, Loader>>;

export type LazyNamespace = keyof typeof lazyResources;

/** The English messages of every namespace, bundled or not: what keys are checked against. */
export type EnglishResources = (typeof resources)["en"] & {
  merchant: typeof enMerchant;
  audit: typeof enAudit;
  ledger: typeof enLedger;
  pass: typeof enPass;
};
