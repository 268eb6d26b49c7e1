// "Your rewards" in My bookings: for each offering with a loyalty rule (sdk/loyalty.ts) that the customer has
// booked, how many more fulfilled visits the next reward takes, and, when the dApp knows the notifier (which signs
// the rewards, services/notifier/README.md "Loyalty rewards"), the rewards it issued that are still good: not used
// up on-chain (`couponRedemptions`) and not expired, each with a link that books with it. Loaded lazily by the page.
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { hashTypedData, zeroAddress, type Address } from "viem";
import {
  BookingStatus,
  couponDomain,
  couponTypes,
  decodeCouponLink,
  earnestEscrowAbi,
  formatShare,
  loyaltyProgress,
  parseMetadata,
  readMany,
  type CustomerBooking,
  type GetOfferingsReturnType,
  type LoyaltyRule,
  type SignedCoupon,
} from "@earnest/sdk";
import { notifierUrl } from "../config";
import { useTranslation } from "../i18n";
import { useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import "./RewardsPanel.css";

/** One offering's progress: "2 more visits for 20 % off a seat at Tea ceremony". */
export function LoyaltyProgressItem({
  rule,
  fulfilled,
  name,
  venue,
}: {
  rule: LoyaltyRule;
  /** The customer's fulfilled visits of the offering. */
  fulfilled: number;
  name: string;
  venue: string | undefined;
}) {
  const { t, i18n } = useTranslation("customer");
  const progress = loyaltyProgress(rule, fulfilled);
  return (
    <li className="card" data-testid="loyalty-progress">
      <h3>
        {name}
        {venue && <span className="venue"> · {venue}</span>}
      </h3>
      <p data-testid="loyalty-next">
        {t("rewards.progress", {
          count: progress.visitsToNext,
          share: formatShare(rule.discountBps, i18n.language),
          name,
        })}
      </p>
      <p className="muted" data-testid="loyalty-visits">
        {t("rewards.visits", { count: progress.visitsSinceReward, visits: rule.visits })}
      </p>
    </li>
  );
}

type Listed = { offeringId: number; link: string | null };
/** A reward's coupon and the link (sdk `encodeCouponLink`) the offering's coupon route takes. */
type Reward = SignedCoupon & { link: string };

/** The notifier's signed rewards for `account` that are still good on this chain's escrow. */
function useRewards(account: Address, now: number) {
  const { client, chainId, deployment } = useReadChain();
  return useQuery({
    queryKey: ["loyaltyRewards", notifierUrl, chainId, deployment?.escrow, account],
    queryFn: async (): Promise<Reward[]> => {
      const response = await fetch(new URL(`/loyalty/${account}`, notifierUrl));
      if (!response.ok) throw new Error(`GET /loyalty answered ${response.status}`);
      const { rewards } = (await response.json()) as { rewards: Listed[] };
      const signed = rewards
        .flatMap(({ link }) => (link ? [{ ...decodeCouponLink(link), link }] : []))
        .filter((r) => r.coupon.customer.toLowerCase() === account.toLowerCase());
      const escrow = deployment!.escrow;
      const used = await readMany(
        client,
        signed.map(
          ({ coupon }) =>
            ({
              address: escrow,
              abi: earnestEscrowAbi,
              functionName: "couponRedemptions",
              args: [
                hashTypedData({
                  domain: couponDomain(chainId, escrow),
                  types: couponTypes,
                  primaryType: "Coupon",
                  message: coupon,
                }),
              ],
            }) as const,
        ),
      );
      return signed.filter((r, i) => used[i] < BigInt(r.coupon.maxRedemptions));
    },
    enabled: notifierUrl !== undefined && deployment !== undefined,
    select: (rewards) => rewards.filter((r) => r.coupon.expiresAt > now),
  });
}

export function RewardsPanel({
  account,
  bookings,
  offerings,
  now,
}: {
  account: Address;
  bookings: readonly CustomerBooking[];
  offerings: GetOfferingsReturnType;
  now: number;
}) {
  const { t } = useTranslation("customer");
  const rewards = useRewards(account, now);
  const booked = new Set(bookings.map((b) => b.offeringId));
  const rules = offerings.offerings.flatMap((offering) => {
    const meta = parseMetadata(offering.metadata);
    return meta.loyalty && booked.has(offering.id) ? [{ offering, meta, rule: meta.loyalty }] : [];
  });
  if (rules.length === 0 && !rewards.data?.length) return null;
  const named = (offeringId: number) => {
    const offering = offerings.offerings.find((o) => o.id === offeringId);
    return offering && { offering, meta: parseMetadata(offering.metadata) };
  };
  return (
    <section
      className="rewards"
      data-testid="rewards"
      data-rewards={notifierUrl === undefined ? "none" : rewards.status}
      aria-labelledby="rewards-title"
    >
      <h2 id="rewards-title">{t("rewards.title")}</h2>
      <ul className="bookings">
        {rules.map(({ offering, meta, rule }) => (
          <LoyaltyProgressItem
            key={offering.id}
            rule={rule}
            fulfilled={
              bookings.filter((b) => b.offeringId === offering.id && b.status === BookingStatus.Fulfilled).length
            }
            name={meta.name}
            venue={offerings.merchants[offering.merchant]?.name}
          />
        ))}
        {rewards.data?.map(({ coupon, link }) => {
          const found = named(coupon.offeringId);
          if (!found) return null;
          return (
            <li key={coupon.salt} className="card" data-testid="reward">
              <p>
                {t("rewards.reward", {
                  amount: formatAmount(
                    coupon.discount,
                    offerings.tokens[found.offering.token] ?? offerings.tokens[zeroAddress],
                  ),
                  name: found.meta.name,
                  time: formatVenueDateTime(coupon.expiresAt, found.meta.timeZone),
                })}
              </p>
              <div className="actions">
                <Link
                  href={`/offerings/${coupon.offeringId}/coupon/${link}`}
                  className="button primary"
                  data-testid="reward-book"
                >
                  {t("rewards.book")}
                </Link>
              </div>
            </li>
          );
        })}
      </ul>
      {notifierUrl === undefined && (
        <p className="muted" data-testid="rewards-no-notifier">
          {t("rewards.noNotifier")}
        </p>
      )}
      {rewards.error && (
        <p className="muted" role="status" data-testid="rewards-failed">
          {t("rewards.loadFailed")}
        </p>
      )}
    </section>
  );
}
