// A signed coupon as one URL-safe token, for the link and QR code a merchant shares.
import { getAddress, isAddress, isHex, type Hex } from "viem";
import type { Coupon } from "./typed-data.js";
import { fromBase64Url, toBase64Url } from "./base64url.js";

export type SignedCoupon = { coupon: Coupon; signature: Hex };

export class InvalidCouponLinkError extends Error {
  override name = "InvalidCouponLinkError";
  constructor(reason: string) {
    super(`Not a valid coupon link: ${reason}.`);
  }
}

export function encodeCouponLink({ coupon, signature }: SignedCoupon): string {
  return toBase64Url(
    JSON.stringify({
      o: coupon.offeringId,
      d: coupon.discount.toString(),
      m: coupon.maxRedemptions,
      x: coupon.expiresAt,
      c: coupon.customer,
      s: coupon.salt,
      r: coupon.signer,
      g: signature,
    }),
  );
}

export function decodeCouponLink(token: string): SignedCoupon {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fromBase64Url(token.trim())) as Record<string, unknown>;
  } catch {
    throw new InvalidCouponLinkError("the link is damaged or incomplete");
  }
  const { o, d, m, x, c, s, r, g } = raw ?? {};
  const uint = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (!uint(o) || !uint(m) || !uint(x)) throw new InvalidCouponLinkError("bad offering, redemptions or expiry");
  if (typeof d !== "string" || !/^[0-9]+$/.test(d)) throw new InvalidCouponLinkError("bad discount");
  if (typeof c !== "string" || !isAddress(c)) throw new InvalidCouponLinkError("bad customer");
  if (typeof s !== "string" || !isHex(s) || s.length !== 66) throw new InvalidCouponLinkError("bad salt");
  if (typeof r !== "string" || !isAddress(r)) throw new InvalidCouponLinkError("bad signer");
  if (typeof g !== "string" || !isHex(g)) throw new InvalidCouponLinkError("bad signature");
  return {
    coupon: {
      offeringId: o as number,
      discount: BigInt(d),
      maxRedemptions: m as number,
      expiresAt: x as number,
      customer: getAddress(c),
      salt: s,
      signer: getAddress(r),
    },
    signature: g,
  };
}
