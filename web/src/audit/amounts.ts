import { zeroAddress, type Address } from "viem";
import { NATIVE_UNIT, type TokenUnits } from "@earnest/sdk";
import i18n from "../i18n";
import { formatAmount } from "../lib/format";

/** The unit the token counts in (ETH for the native coin), as the sdk read it from the token; undefined for a token
 *  without a usable `symbol()` and `decimals()`. */
export function unitOf(token: Address, units: TokenUnits) {
  return token === zeroAddress ? NATIVE_UNIT : units.get(token.toLowerCase() as Address);
}

/** An amount in the token's unit with its symbol ("760 mUSD"), or in base units where the token has no unit. */
export function tokenAmount(value: bigint, token: Address, units: TokenUnits): string {
  const unit = unitOf(token, units);
  return unit ? formatAmount(value, unit) : value.toLocaleString(i18n.language);
}
