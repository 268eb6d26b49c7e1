// The report: canonical JSON (sorted keys, bigints as decimal strings) with its own keccak256 digest, a CSV of
// bookings and a short summary. Nothing about the run (time, requests) goes into them, so the same chain and range
// always give byte-identical files. To check a digest: drop the "digest" key, canonicalise, keccak256.
import { keccak_256 } from "@noble/hashes/sha3";
import { bytesToHex, keccak256, stringToBytes, zeroAddress, type Address, type Hex } from "viem";
import { BookingStatusNames } from "../generated/enums.js";
import { formatTokenAmount, NATIVE_UNIT, type TokenUnits } from "./token-units.js";
import type { RebuiltBooking, Verification } from "./types.js";

/** JSON with sorted keys, bigints as strings, undefined dropped, two-space indent. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (typeof v === "bigint") return v.toString();
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = norm(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value), null, 2) + "\n";
}

export function digestOf(report: Record<string, unknown>): Hex {
  const rest = { ...report };
  delete rest.digest;
  return keccak256(stringToBytes(canonicalJson(rest)));
}

export type ReportMeta = {
  chainId: number;
  escrow: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** The last block audited; open bookings that can settle by its time are reported as settleable. */
  anchor: { number: bigint; hash: Hex; timestamp: number };
  complete: boolean;
};

const statusNames: readonly string[] = BookingStatusNames;

/** A CSV field: quoted (inner quotes doubled) when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The bookings' CSV and its keccak256 digest. */
function csvAndDigest(v: Verification): { csv: string; digest: Hex } {
  const header =
    "bookingId,offeringId,slotStart,n,customer,seats,amount,discount,feeBps,status,checkedIn,disputed,refundBps,customerShare,merchantShare,fee,bookedBlock,settledBlock,checkedInBy,customerSigned,disputeReason";
  const row = (b: RebuiltBooking) =>
    [
      b.bookingId,
      b.offeringId,
      b.slotStart,
      b.n,
      b.customer,
      b.seats,
      b.amount,
      b.discount,
      b.feeBps,
      statusNames[b.status],
      b.checkedIn,
      b.disputed,
      b.refundBps ?? "",
      b.customerShare ?? "",
      b.merchantShare ?? "",
      b.fee ?? "",
      b.bookedBlock,
      b.settledBlock ?? "",
      b.checkedInBy ?? "",
      b.customerSigned ?? "",
      csvField(b.disputeReason ?? ""),
    ].join(",");
  // Sorted by id, each booking read (unpacked) only for its row, and the rows joined a thousand at a time, so that
  // a long history's rows are never all held as separate strings. Each piece is hashed as it is made: the digest
  // never needs the whole text as bytes.
  const ids = [...v.bookings.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = keccak_256.create();
  const chunks: string[] = [];
  const add = (chunk: string) => {
    chunks.push(chunk);
    hash.update(utf8.encode(chunk));
  };
  add(`${header}\n`);
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = ids.slice(i, i + 1000).map((id) => row(v.bookings.get(id)!));
    // Each line ends with a line break, the last too.
    add(`${rows.join("\n")}\n`);
  }
  return { csv: chunks.join(""), digest: bytesToHex(hash.digest()) };
}

const utf8 = new TextEncoder();

export function bookingsCsv(v: Verification): string {
  return csvAndDigest(v).csv;
}

export type Report = {
  meta: ReportMeta;
  report: Record<string, unknown>;
  json: string;
  digest: Hex;
  csv: string;
  summary: string;
  ok: boolean;
};

/** The report of `v`; `units` only changes the summary's wording, never the JSON or its digest. */
export function buildReport(meta: ReportMeta, v: Verification, units?: TokenUnits): Report {
  const { csv, digest: bookingsCsvDigest } = csvAndDigest(v);
  const byStatus: Record<string, number> = {};
  for (const b of v.bookings.values()) byStatus[statusNames[b.status]] = (byStatus[statusNames[b.status]] ?? 0) + 1;
  const byKind: Record<string, number> = {};
  for (const f of v.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const ok = v.findings.length === 0;
  const body: Record<string, unknown> = {
    version: 2,
    ok,
    chainId: meta.chainId,
    escrow: meta.escrow.toLowerCase(),
    range: { fromBlock: meta.fromBlock, toBlock: meta.toBlock, complete: meta.complete },
    anchor: meta.anchor,
    counts: {
      events: v.events,
      merchants: v.merchants.size,
      offerings: v.offerings.size,
      bookings: v.bookings.size,
      byStatus,
      outOfRange: v.outOfRange,
      findings: v.findings.length,
      findingsByKind: byKind,
      settleable: v.settleable.length,
      reviews: v.reviews?.reviews,
      answers: v.reviews?.answers,
    },
    reviewsContract: v.reviews?.contract,
    tokens: v.tokens,
    surplus: v.surplus,
    settleable: v.settleable.map((b) => ({ ...b, outcome: statusNames[b.outcome] })),
    findings: v.findings,
    bookingsCsvDigest,
  };
  const digest = digestOf(body);
  const report = { ...body, digest };
  return { meta, report, json: canonicalJson(report), digest, csv, summary: summaryText(meta, v, digest, units), ok };
}

/** The summary for people: amounts in each token's unit where `units` has it (else base units), the token named
 *  by its symbol beside its address. */
export function summaryText(meta: ReportMeta, v: Verification, digest: Hex, units: TokenUnits = new Map()): string {
  const ok = v.findings.length === 0;
  const byKind: Record<string, number> = {};
  for (const f of v.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const unitOf = (token: Address) => (token === zeroAddress ? NATIVE_UNIT : units.get(token.toLowerCase() as Address));
  const amount = (value: bigint, token: Address) => formatTokenAmount(value, unitOf(token));
  const tokenName = (token: Address) => {
    const unit = unitOf(token);
    if (token === zeroAddress) return "ETH (native)";
    return unit ? `${unit.symbol} (${token})` : token;
  };
  const lines = [
    `Earnest audit of ${meta.escrow} on chain ${meta.chainId}`,
    `Blocks ${meta.fromBlock}–${meta.toBlock}, anchored at block ${meta.anchor.number} (${meta.anchor.hash})` +
      (meta.complete ? "" : " — partial range: view, credit, fee and balance checks skipped"),
    `${v.events} events: ${v.merchants.size} merchants, ${v.offerings.size} offerings, ${v.bookings.size} bookings`,
    ...(v.reviews
      ? [
          `${v.reviews.reviews} reviews and ${v.reviews.answers} answers checked against their bookings (${v.reviews.contract})`,
        ]
      : []),
    ...v.tokens.map(
      (t) =>
        `Token ${tokenName(t.token)}: balance ${t.balance === null ? "not read" : amount(t.balance, t.token)}, ` +
        `owes ${amount(t.owed, t.token)} (held ${amount(t.depositsHeld, t.token)}, credits ${amount(t.credits, t.token)}, fees ${amount(t.feesOwed, t.token)})`,
    ),
    ...v.surplus.map(
      (s) => `Surplus in ${tokenName(s.token)}: ${amount(s.amount, s.token)} (funds sent unasked; not a violation)`,
    ),
    ...(v.settleable.length > 0
      ? [`${v.settleable.length} open booking(s) past their deadline: anyone may settle them now (not a violation)`]
      : []),
    ok
      ? "Result: everything holds."
      : `Result: ${v.findings.length} violation(s): ${Object.entries(byKind)
          .map(([k, n]) => `${k} ×${n}`)
          .join(", ")}`,
    ...v.findings
      .slice(0, 20)
      .map((f) => `  - ${f.kind}${f.bookingId !== undefined ? ` [${f.bookingId}]` : ""}: ${f.message}`),
    ...(v.findings.length > 20 ? [`  … and ${v.findings.length - 20} more in report.json`] : []),
    `Digest: ${digest}`,
  ];
  return lines.join("\n") + "\n";
}
