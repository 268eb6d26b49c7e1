// Fails unless every line of contracts/ (mocks excluded) is covered, reading coverage/lcov.info from
// `hardhat test --coverage`. Hardhat's lcov has line data only (no branch records), so lines are what is checked.
import { readFileSync } from "node:fs";

type FileCoverage = { file: string; found: number; hit: number; missed: number[] };

const lcov = readFileSync("coverage/lcov.info", "utf8");
const files: FileCoverage[] = [];
let current: FileCoverage | undefined;
for (const line of lcov.split("\n")) {
  if (line.startsWith("SF:")) current = { file: line.slice(3), found: 0, hit: 0, missed: [] };
  else if (line.startsWith("DA:") && current) {
    const [lineNumber, count] = line.slice(3).split(",").map(Number);
    current.found++;
    if (count > 0) current.hit++;
    else current.missed.push(lineNumber);
  } else if (line === "end_of_record" && current) {
    files.push(current);
    current = undefined;
  }
}

const checked = files.filter((f) => /(^|\/)contracts\//.test(f.file) && !/(^|\/)contracts\/mocks\//.test(f.file));
if (checked.length === 0) {
  console.error("check-coverage: no contracts/ files in coverage/lcov.info");
  process.exit(1);
}
let found = 0;
let hit = 0;
for (const f of checked) {
  found += f.found;
  hit += f.hit;
  const pct = f.found === 0 ? 100 : (100 * f.hit) / f.found;
  const missed = f.missed.length ? `  missed lines ${f.missed.join(", ")}` : "";
  console.log(`${pct.toFixed(2).padStart(7)} %  ${f.file.replace(/^.*?contracts\//, "contracts/")}${missed}`);
}
const total = found === 0 ? 100 : (100 * hit) / found;
console.log(`line coverage of contracts/ (mocks excluded): ${total.toFixed(2)} % (${hit}/${found} lines)`);
if (hit < found) process.exit(1);
