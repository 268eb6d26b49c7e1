// The auditor process's heap settings (issue #16: memory grows by at most about 1 kB per booking). Imported first
// by main.ts, and by the audit benchmark's child so that it measures the process users run. V8's defaults let a
// long run's heap grow well past what it keeps: the young generation grows to 2 × 64 MB once much survives a
// scavenge, and the old generation may fill to about four times what was live at the last full collection before
// the next one. The auditor keeps little (about 0.3 kB per booking, packed) and makes much short-lived garbage
// (decoded events, unpacked bookings), so neither growth buys it time: with the young generation kept at its
// starting size and the old one allowed half again what is live, a 20,000-booking audit peaks at about 150 MB of
// RSS instead of 350 MB, for the same CPU time. Both flags are read while the heap runs, so setting them here (not
// on the command line) takes effect however the CLI is started. The dApp's page runs in the browser's own heap.
import { setFlagsFromString } from "node:v8";

/** Never grow the young generation beyond its starting size (a few MB): each scavenge then copies little. */
setFlagsFromString("--semi-space-growth-factor=1");
/** Start a full collection once the old generation is 1.5 times what the last one kept (V8: up to 4 times). */
setFlagsFromString("--heap-growing-percent=50");
