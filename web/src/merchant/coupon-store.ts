// The coupons a merchant signed in this browser. A coupon exists only as its signature until a customer redeems
// it, so without this list a reload would lose the links the merchant already shared (and their redemption counts).
import { decodeCouponLink, encodeCouponLink, type SignedCoupon } from "@earnest/sdk";

const KEY = "earnest.coupons";

type Scope = { chainId: number; escrow: string; merchant: string };

const scopeKey = ({ chainId, escrow, merchant }: Scope) =>
  `${chainId}:${escrow.toLowerCase()}:${merchant.toLowerCase()}`;

function load(): Record<string, string[]> {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "{}") as unknown;
    return typeof stored === "object" && stored !== null ? (stored as Record<string, string[]>) : {};
  } catch {
    return {};
  }
}

/** The merchant's coupons on this chain and escrow, newest first; a damaged entry is skipped. */
export function loadCoupons(scope: Scope): SignedCoupon[] {
  const codes = load()[scopeKey(scope)];
  if (!Array.isArray(codes)) return [];
  return codes.flatMap((code) => {
    try {
      return [decodeCouponLink(code)];
    } catch {
      return [];
    }
  });
}

/** Keeps a newly signed coupon at the head of the merchant's list. */
export function saveCoupon(scope: Scope, signed: SignedCoupon): void {
  const all = load();
  const key = scopeKey(scope);
  const codes = Array.isArray(all[key]) ? all[key] : [];
  localStorage.setItem(KEY, JSON.stringify({ ...all, [key]: [encodeCouponLink(signed), ...codes] }));
}
