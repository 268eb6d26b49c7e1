import enAudit from "./locales/en/audit";
import enCommon from "./locales/en/common";
import enCustomer from "./locales/en/customer";
import enErrors from "./locales/en/errors";
import enLedger from "./locales/en/ledger";
import enMerchant from "./locales/en/merchant";
import zhAudit from "./locales/zh-CN/audit";
import zhCommon from "./locales/zh-CN/common";
import zhCustomer from "./locales/zh-CN/customer";
import zhErrors from "./locales/zh-CN/errors";
import zhLedger from "./locales/zh-CN/ledger";
import zhMerchant from "./locales/zh-CN/merchant";

export const resources = {
  en: {
    common: enCommon,
    customer: enCustomer,
    errors: enErrors,
    ledger: enLedger,
    merchant: enMerchant,
    audit: enAudit,
  },
  "zh-CN": {
    common: zhCommon,
    customer: zhCustomer,
    errors: zhErrors,
    ledger: zhLedger,
    merchant: zhMerchant,
    audit: zhAudit,
  },
} as const;

export type Locale = keyof typeof resources;
export const locales = Object.keys(resources) as Locale[];
