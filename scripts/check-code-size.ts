// Code size of every contract under contracts/ that can be deployed, from `npx hardhat compile`'s artifacts:
// `npx tsx scripts/check-code-size.ts`. Prints the runtime size against EIP-170 and the initcode size against
// EIP-3860 with the headroom left, mocks listed apart (they are deployed by tests and the local chain only, and are
// checked all the same), and exits 1 if any contract is over a limit. Interfaces and abstract contracts have no
// bytecode; libraries with internal functions only are inlined into their callers and never deployed: both skipped.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const RUNTIME_LIMIT = 24_576; // EIP-170: deployed (runtime) code
const INITCODE_LIMIT = 49_152; // EIP-3860: creation code, constructor arguments included (not counted here)

type Artifact = {
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
};
type Row = { name: string; source: string; runtime: number; initcode: number };

const root = path.resolve(import.meta.dirname, "..");
const artifactsDir = path.join(root, "artifacts", "contracts");

function* artifactFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* artifactFiles(file);
    // Hardhat writes <Source>.sol/<Name>.json next to artifacts.d.ts (and, in some versions, <Name>.dbg.json).
    else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) yield file;
  }
}

/** Bytes of hex code; library link placeholders (`__$…$__`) are 40 characters, an address's 20 bytes, too. */
const bytes = (hex: string) => (hex.startsWith("0x") ? hex.length - 2 : hex.length) / 2;
/** A library's runtime code starts with PUSH20 <its own address, zero at compile time> ADDRESS EQ (call guard). */
const isLibrary = (runtime: string) => runtime.startsWith("0x73" + "00".repeat(20) + "3014");

if (!existsSync(artifactsDir)) {
  console.error("check-code-size: no artifacts/contracts/: run `npx hardhat compile` first.");
  process.exit(1);
}
const rows: Row[] = [];
const skipped: string[] = [];
for (const file of artifactFiles(artifactsDir)) {
  const artifact = JSON.parse(readFileSync(file, "utf8")) as Partial<Artifact>;
  const { contractName, sourceName, abi, bytecode, deployedBytecode } = artifact;
  if (!contractName || !sourceName || !bytecode || !deployedBytecode) continue; // not a contract artifact
  if (!existsSync(path.join(root, sourceName))) continue; // stale: its source is gone
  if (bytes(deployedBytecode) === 0) continue; // interface or abstract contract
  if (isLibrary(deployedBytecode) && abi?.length === 0) {
    skipped.push(contractName);
    continue;
  }
  rows.push({ name: contractName, source: sourceName, runtime: bytes(deployedBytecode), initcode: bytes(bytecode) });
}
if (rows.length === 0) {
  console.error("check-code-size: no deployable contract in artifacts/contracts/: run `npx hardhat compile` first.");
  process.exit(1);
}

const n = (value: number) => value.toLocaleString("en-US");
const width = Math.max(...rows.map((r) => r.name.length));
const line = (r: Row) =>
  `  ${r.name.padEnd(width)}  runtime ${n(r.runtime).padStart(6)} B, headroom ${n(RUNTIME_LIMIT - r.runtime).padStart(6)}` +
  `   initcode ${n(r.initcode).padStart(6)} B, headroom ${n(INITCODE_LIMIT - r.initcode).padStart(6)}`;
const isMock = (r: Row) => /(^|\/)contracts\/mocks\//.test(r.source);
const byName = (a: Row, b: Row) => a.name.localeCompare(b.name);

console.log(`Code size (EIP-170 runtime limit ${n(RUNTIME_LIMIT)} B, EIP-3860 initcode limit ${n(INITCODE_LIMIT)} B)`);
console.log("contracts:");
for (const r of rows.filter((r) => !isMock(r)).sort(byName)) console.log(line(r));
if (rows.some(isMock)) console.log("mocks (tests and local chain only):");
for (const r of rows.filter(isMock).sort(byName)) console.log(line(r));
if (skipped.length) console.log(`skipped (internal-only libraries, inlined): ${skipped.sort().join(", ")}`);

const over = rows.filter((r) => r.runtime > RUNTIME_LIMIT || r.initcode > INITCODE_LIMIT);
for (const r of over) {
  const what = [
    r.runtime > RUNTIME_LIMIT && `runtime ${n(r.runtime)} B is ${n(r.runtime - RUNTIME_LIMIT)} B over EIP-170`,
    r.initcode > INITCODE_LIMIT && `initcode ${n(r.initcode)} B is ${n(r.initcode - INITCODE_LIMIT)} B over EIP-3860`,
  ].filter(Boolean);
  console.error(`check-code-size: ${r.name} (${r.source}) cannot be deployed: ${what.join("; ")}.`);
}
if (over.length) process.exit(1);
