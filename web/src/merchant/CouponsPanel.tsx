import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "../i18n";
import { hashTypedData, isAddress, isAddressEqual, parseUnits, zeroAddress, type Address, type Hex } from "viem";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import {
  readMany,
  encodeCouponLink,
  type SignedCoupon,
  earnestEscrowAbi,
  parseMetadata,
  newSalt,
  couponDomain,
  couponTypes,
  type Coupon,
} from "@earnest/sdk";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatDateTime } from "../lib/format";
import { QrCode } from "../lib/QrCode";
import { useTransactor } from "../tx/TxProvider";
import { loadCoupons, saveCoupon } from "./coupon-store";

type Issued = SignedCoupon & { digest: Hex; link: string };

const MAX_UINT32 = 2 ** 32 - 1;

/** A stored coupon with what the list shows: its EIP-712 digest (the key of its redemption count) and its link. */
function issuedCoupon(signed: SignedCoupon, chainId: number, escrow: Address): Issued {
  const digest = hashTypedData({
    domain: couponDomain(chainId, escrow),
    types: couponTypes,
    primaryType: "Coupon",
    message: signed.coupon,
  });
  const code = encodeCouponLink(signed);
  const link = `${location.origin}${location.pathname}#/offerings/${signed.coupon.offeringId}/coupon/${code}`;
  return { ...signed, digest, link };
}

/** `datetime-local` input text for a Unix time, in the viewer's zone. */
function localInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Coupons: the merchant, or its staff with the coupon role (`signer`), signs one in the wallet (EIP-712, no
 *  transaction) and shares it as a link and QR code. The coupon names its signer, which the escrow checks holds the
 *  role when a customer redeems it. */
export function CouponsPanel({ merchant, signer }: { merchant: Address; signer: Address }) {
  const { t } = useTranslation("merchant");
  const { data } = useOfferings();
  const { chainId, deployment } = useReadChain();
  const now = useChainNow();
  const config = useConfig();
  const transactor = useTransactor();
  const mine = data?.offerings.filter((o) => isAddressEqual(o.merchant, merchant) && o.active) ?? [];
  const [offeringId, setOfferingId] = useState<number>();
  const [discount, setDiscount] = useState("");
  const [redemptions, setRedemptions] = useState("10");
  const [expires, setExpires] = useState("");
  const [customer, setCustomer] = useState("");
  const [saved, setSaved] = useState(0);
  const issued = useMemo(
    () =>
      deployment
        ? loadCoupons({ chainId, escrow: deployment.escrow, merchant }).map((signed) =>
            issuedCoupon(signed, chainId, deployment.escrow),
          )
        : [],
    // `saved` counts the coupons signed here: each one re-reads the store.
    [chainId, deployment, merchant, saved],
  );
  if (!data || !deployment || now === undefined) return <p className="muted">{t("loading")}</p>;
  if (mine.length === 0) return <p className="muted">{t("coupons.noOfferings")}</p>;

  const offering = mine.find((o) => o.id === offeringId) ?? mine[0];
  const token = data.tokens[offering.token];
  const expiryText = expires || localInput(now + 30 * 86_400);
  const expiresAt = Math.floor(new Date(expiryText).getTime() / 1000);
  let amount = 0n;
  try {
    amount = parseUnits(discount.trim(), token.decimals);
  } catch {
    // shown as a problem below
  }
  const maxDeposit = offering.depositPerSeat * BigInt(offering.seatsPerSlot);
  const count = Number(redemptions);
  const problems = [
    ...(amount <= 0n ? [t("coupons.badDiscount")] : []),
    ...(amount > maxDeposit ? [t("coupons.discountTooLarge", { max: formatAmount(maxDeposit, token) })] : []),
    ...(!Number.isInteger(count) || count < 1 || count > MAX_UINT32 ? [t("coupons.badRedemptions")] : []),
    ...(!(expiresAt > now) ? [t("coupons.badExpiry")] : []),
    ...(customer.trim() !== "" && !isAddress(customer.trim()) ? [t("coupons.badCustomer")] : []),
  ];

  const issue = async () => {
    const coupon: Coupon = {
      offeringId: offering.id,
      discount: amount,
      maxRedemptions: count,
      expiresAt,
      customer: customer.trim() === "" ? zeroAddress : (customer.trim() as Address),
      salt: newSalt(),
      signer,
    };
    const typed = {
      domain: couponDomain(chainId, deployment.escrow),
      types: couponTypes,
      primaryType: "Coupon",
      message: coupon,
    } as const;
    const signed = await transactor.sign(t("coupons.signLabel"), () => signTypedData(config, typed));
    if (!signed.ok) return;
    saveCoupon({ chainId, escrow: deployment.escrow, merchant }, { coupon, signature: signed.value });
    setSaved((n) => n + 1);
  };

  return (
    <section>
      <h2>{t("coupons.title")}</h2>
      <form
        className="builder"
        onSubmit={(e) => {
          e.preventDefault();
          if (problems.length === 0) void issue();
        }}
      >
        <label className="field">
          <span>{t("coupons.offering")}</span>
          <select
            data-testid="coupon-offering"
            value={offering.id}
            onChange={(e) => setOfferingId(Number(e.target.value))}
          >
            {mine.map((o) => (
              <option key={o.id} value={o.id}>
                {parseMetadata(o.metadata).name} #{o.id}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("coupons.discount", { symbol: token.symbol })}</span>
          <input
            inputMode="decimal"
            data-testid="coupon-discount"
            value={discount}
            onChange={(e) => setDiscount(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("coupons.redemptions")}</span>
          <input
            inputMode="numeric"
            data-testid="coupon-redemptions"
            value={redemptions}
            onChange={(e) => setRedemptions(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("coupons.expires")}</span>
          <input
            type="datetime-local"
            data-testid="coupon-expires"
            value={expiryText}
            onChange={(e) => setExpires(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("coupons.customer")}</span>
          <input
            data-testid="coupon-customer"
            placeholder={t("coupons.anyone")}
            value={customer}
            onChange={(e) => setCustomer(e.target.value)}
          />
        </label>
        {problems.length > 0 && (
          <ul className="problems" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <button type="submit" className="primary" data-testid="coupon-sign" disabled={problems.length > 0}>
          {t("coupons.sign")}
        </button>
      </form>
      <IssuedCoupons issued={issued} tokens={data.tokens} offerings={mine} />
    </section>
  );
}

function IssuedCoupons({
  issued,
  tokens,
  offerings,
}: {
  issued: Issued[];
  tokens: Record<Address, { symbol: string; decimals: number }>;
  offerings: { id: number; token: Address; metadata: string }[];
}) {
  const { t } = useTranslation("merchant");
  const { client, chainId, deployment } = useReadChain();
  const digests = issued.map((c) => c.digest);
  const { data: used } = useQuery({
    queryKey: ["couponRedemptions", chainId, deployment?.escrow, digests],
    queryFn: () =>
      readMany(
        client,
        digests.map(
          (digest) =>
            ({
              address: deployment!.escrow,
              abi: earnestEscrowAbi,
              functionName: "couponRedemptions",
              args: [digest],
            }) as const,
        ),
      ),
    enabled: digests.length > 0 && deployment !== undefined,
  });
  if (issued.length === 0) return null;
  return (
    <ul className="cards">
      {issued.map(({ coupon, link, digest }, i) => {
        const offering = offerings.find((o) => o.id === coupon.offeringId);
        const token = tokens[offering?.token ?? zeroAddress];
        return (
          <li key={digest} className="card coupon" data-testid="coupon-issued">
            <h3>
              {t("coupons.off", { amount: formatAmount(coupon.discount, token) })} ·{" "}
              {offering ? parseMetadata(offering.metadata).name : `#${coupon.offeringId}`}
            </h3>
            <QrCode text={link} label={t("coupons.qrLabel")} size={180} />
            <input
              readOnly
              className="grow"
              data-testid="coupon-link"
              aria-label={t("coupons.link")}
              value={link}
              onFocus={(e) => e.target.select()}
            />
            <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
              {t("coupons.copy")}
            </button>
            <p className="muted">
              {t("coupons.status", {
                used: used ? String(used[i]) : "…",
                max: coupon.maxRedemptions,
                expires: formatDateTime(coupon.expiresAt),
              })}
              {coupon.customer !== zeroAddress && ` · ${t("coupons.onlyFor", { customer: coupon.customer })}`}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
