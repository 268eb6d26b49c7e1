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
};

export type CheckResult = { kind: FindingKind; result: "pass" | "fail" | "skipped"; findings: number };

export function checkResults(findings: readonly Finding[], complete: boolean): CheckResult[] {
  return (Object.keys(NEEDS_WHOLE_HISTORY) as FindingKind[]).map((kind) => {
    const count = findings.filter((f) => f.kind === kind).length;
    const result = count > 0 ? "fail" : !complete && NEEDS_WHOLE_HISTORY[kind] ? "skipped" : "pass";
    return { kind, result, findings: count };
  });
}
