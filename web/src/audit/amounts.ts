import { zeroAddress, type Address } from "viem";
import i18n from "../i18n";
import { formatAmount } from "../lib/format";

/**
 * The native coin in ETH; a token's amount in its base units, as the report writes it (its symbol and decimals
 * would cost extra calls to the token contract, and the token's address is shown beside it).
 */
export function tokenAmount(value: bigint, token: Address): string {
  return token === zeroAddress
    ? formatAmount(value, { symbol: "ETH", decimals: 18 })
    : value.toLocaleString(i18n.language);
}
