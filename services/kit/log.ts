// One JSON object per line on stdout: easy to grep, and to ship to any log collector.
export type Level = "info" | "warn" | "error";

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  if (level === "info") console.log(line);
  else console.error(line);
}
