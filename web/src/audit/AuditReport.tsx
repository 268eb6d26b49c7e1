import { Fragment } from "react";
import { useTranslation } from "../i18n";
import { zeroAddress, type Address, type Hex } from "viem";
import type { AuditResult, Surplus, TokenBook, TokenUnits } from "@earnest/sdk";
import { shortAddress } from "../lib/format";
import { tokenAmount, unitOf } from "./amounts";
import { checkResults } from "./checks";
import { saveText } from "./downloads";
import { Findings } from "./Findings";
import type { AuditRun } from "./run";

/** The fields of the report the summary shows, as `buildReport` writes them (it types the report loosely). */
type ReportHead = {
  chainId: number;
  escrow: Address;
  range: { fromBlock: bigint; toBlock: bigint; complete: boolean };
  anchor: { number: bigint; hash: Hex };
};

export function AuditReport({ result }: { result: AuditRun }) {
  const head = result.report as ReportHead;
  return (
    <div className="audit-report" data-testid="audit-result" data-ok={result.ok}>
      <Summary result={result} head={head} />
      <Downloads result={result} head={head} />
      <Checks result={result} complete={head.range.complete} />
      <Tokens tokens={result.verification.tokens} surplus={result.verification.surplus} units={result.units} />
      <Findings verification={result.verification} units={result.units} />
    </div>
  );
}

function Summary({ result, head }: { result: AuditResult; head: ReportHead }) {
  const { t } = useTranslation("audit");
  const v = result.verification;
  const rows: [string, string, string?][] = [
    [t("summary.chain"), String(head.chainId)],
    [t("summary.escrow"), head.escrow],
    [
      t("summary.range"),
      t("summary.rangeValue", { from: String(head.range.fromBlock), to: String(head.range.toBlock) }),
    ],
    [t("summary.anchor"), String(head.anchor.number), "audit-anchor"],
    [t("summary.anchorHash"), head.anchor.hash],
    [t("summary.digest"), result.digest, "audit-digest"],
    [t("summary.events"), String(v.events)],
    [
      t("summary.rebuilt"),
      t("summary.rebuiltValue", {
        merchants: v.merchants.size,
        offerings: v.offerings.size,
        bookings: v.bookings.size,
      }),
    ],
    [
      t("summary.run"),
      t("summary.runValue", { requests: result.rpcRequests, cached: result.cachedBlocks }),
      "audit-run-stats",
    ],
  ];
  return (
    <section>
      <h2>{t("summary.title")}</h2>
      <p className={result.ok ? "audit-ok" : "audit-fail"} data-testid="audit-verdict">
        {result.ok ? t("summary.ok") : t("summary.violations", { count: v.findings.length })}
      </p>
      {!head.range.complete && <p className="banner info">{t("summary.partial", { count: v.outOfRange })}</p>}
      {v.settleable.length > 0 && (
        <p className="banner info" data-testid="audit-settleable">
          {t("summary.settleable", { count: v.settleable.length })}
        </p>
      )}
      <dl className="terms audit-summary">
        {rows.map(([label, value, testId]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

function Downloads({ result, head }: { result: AuditResult; head: ReportHead }) {
  const { t } = useTranslation("audit");
  const name = `earnest-${head.chainId}-${head.anchor.number}`;
  return (
    <div className="actions">
      {/* Exactly the CLI's report.json and bookings.csv: the same builders, so the same bytes and digest. */}
      <button
        type="button"
        onClick={() => saveText(result.json, "application/json", `${name}-report.json`)}
        data-testid="audit-download-json"
      >
        {t("download.json")}
      </button>
      <button
        type="button"
        onClick={() => saveText(result.csv, "text/csv", `${name}-bookings.csv`)}
        data-testid="audit-download-csv"
      >
        {t("download.csv")}
      </button>
    </div>
  );
}

function Checks({ result, complete }: { result: AuditResult; complete: boolean }) {
  const { t } = useTranslation("audit");
  return (
    <section>
      <h2>{t("checks.title")}</h2>
      <table className="audit-table" data-testid="audit-checks">
        <thead>
          <tr>
            <th>{t("checks.check")}</th>
            <th>{t("checks.result")}</th>
            <th>{t("checks.findings")}</th>
          </tr>
        </thead>
        <tbody>
          {checkResults(result.verification.findings, complete, result.verification.reviews !== undefined).map((c) => (
            <tr key={c.kind} data-testid="audit-check" data-kind={c.kind} data-result={c.result}>
              <td>{t(`kind.${c.kind}`)}</td>
              <td className={`audit-${c.result}`}>{t(`checks.${c.result}`)}</td>
              <td>{c.findings}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Tokens({ tokens, surplus, units }: { tokens: TokenBook[]; surplus: Surplus[]; units: TokenUnits }) {
  const { t } = useTranslation("audit");
  const amount = (value: bigint, token: Address) => tokenAmount(value, token, units);
  // A token by its symbol where it has one, its address beside it; the address alone where it has none.
  const name = (token: Address) => {
    if (token === zeroAddress) return t("tokens.native");
    const unit = unitOf(token, units);
    return unit ? t("tokens.named", { symbol: unit.symbol, address: shortAddress(token) }) : shortAddress(token);
  };
  return (
    <section>
      <h2>{t("tokens.title")}</h2>
      <table className="audit-table">
        <thead>
          <tr>
            <th>{t("tokens.token")}</th>
            <th>{t("tokens.balance")}</th>
            <th>{t("tokens.owed")}</th>
            <th>{t("tokens.held")}</th>
            <th>{t("tokens.credits")}</th>
            <th>{t("tokens.fees")}</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((b) => (
            <tr key={b.token}>
              <td className="address" title={b.token} data-testid="audit-token">
                {name(b.token)}
              </td>
              <td className="audit-amount" data-testid="audit-token-balance">
                {b.balance === null ? t("tokens.notRead") : amount(b.balance, b.token)}
              </td>
              <td className="audit-amount">{amount(b.owed, b.token)}</td>
              <td className="audit-amount">{amount(b.depositsHeld, b.token)}</td>
              <td className="audit-amount">{amount(b.credits, b.token)}</td>
              <td className="audit-amount">{amount(b.feesOwed, b.token)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {surplus.map((s) => (
        <p key={s.token} className="banner info" data-testid="audit-surplus">
          {t("tokens.surplus", { amount: amount(s.amount, s.token), token: name(s.token) })}
        </p>
      ))}
    </section>
  );
}
