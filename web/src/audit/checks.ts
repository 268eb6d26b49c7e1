// The verifier reports findings by kind; the page shows each kind as one check that holds or not.
import type { Finding, FindingKind } from "@earnest/sdk";

/**
 * Every finding kind, in the order the page lists them, and whether the check needs the whole history (the
 * contract's views and balances are compared only when the range starts at the deployment). A Record, so that a
 * new kind in the sdk fails the type-check here until it is listed (and labelled in the locales).
 */
const NEEDS_WHOLE_HISTORY: Record<FindingKind, boolean> = {
  "illegal-transition": false,
  "amount-mismatch": false,
  "overbooked-slot": false,
  "fee-above-cap": false,
  "fee-snapshot-mismatch": false,
  "fee-above-snapshot": false,
  "fee-above-offering-max": false,
  "arbiter-not-independent": false,
  "unbounded-terms": false,
  "staff-roles": false,
  // Who holds a staff role is known only from every grant since the deployment.
  "unauthorized-caller": true,
  "staff-funds": false,
  "refund-share-mismatch": false,
  "split-mismatch": false,
  "claim-mismatch": false,
  "credit-mismatch": false,
  "fees-owed-mismatch": false,
  "view-mismatch": true,
  shortfall: true,
  // Reviews are checked against bookings rebuilt from the deployment on.
  "review-mismatch": true,
};

export type CheckResult = { kind: FindingKind; result: "pass" | "fail" | "skipped"; findings: number };

/** `reviewsChecked`: whether a reviews contract was audited beside the escrow (a chain may have none). */
export function checkResults(findings: readonly Finding[], complete: boolean, reviewsChecked = true): CheckResult[] {
  return (Object.keys(NEEDS_WHOLE_HISTORY) as FindingKind[]).map((kind) => {
    const count = findings.filter((f) => f.kind === kind).length;
    const skipped = (!complete && NEEDS_WHOLE_HISTORY[kind]) || (kind === "review-mismatch" && !reviewsChecked);
    const result = count > 0 ? "fail" : skipped ? "skipped" : "pass";
    return { kind, result, findings: count };
  });
}
