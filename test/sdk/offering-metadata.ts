// An offering's metadata as the dApp reads it: JSON with a name, optional words, a venue time zone and the
// merchant's relayer, where a bad time zone or a relayer that is not an http(s) URL is dropped.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMetadata } from "@earnest/sdk";

describe("offering metadata", () => {
  it("keeps an http(s) relayer URL", () => {
    for (const relayer of ["https://relay.example.com", "http://127.0.0.1:8547", "https://r.example/v1/"]) {
      assert.equal(parseMetadata(JSON.stringify({ name: "Lunch", relayer })).relayer, relayer);
    }
  });

  it("drops a relayer that is not an http(s) URL, and keeps the rest", () => {
    for (const relayer of ["javascript:alert(1)", "file:///etc/passwd", "relay.example.com", "", 42, null, ["x"]]) {
      const meta = parseMetadata(JSON.stringify({ name: "Lunch", timeZone: "Europe/Rome", relayer }));
      assert.deepEqual(meta, {
        name: "Lunch",
        description: undefined,
        timeZone: "Europe/Rome",
        hours: undefined,
        relayer: undefined,
      });
    }
  });

  it("has no relayer in plain-text metadata", () => {
    assert.deepEqual(parseMetadata("  Dinner https://relay.example "), { name: "Dinner https://relay.example" });
  });

  it("keeps a canonical zone and an alias the runtime knows, and drops a zone that is not one", () => {
    const zoneOf = (timeZone: unknown) => parseMetadata(JSON.stringify({ name: "Lunch", timeZone })).timeZone;
    for (const zone of ["Europe/Rome", "Asia/Tokyo", "UTC", "Asia/Kolkata", "Etc/GMT+5"])
      assert.equal(zoneOf(zone), zone);
    for (const zone of ["Mars/Olympus_Mons", "Europe/Rome ", "", 2, null]) {
      assert.equal(zoneOf(zone), undefined, String(zone));
    }
    // Judged once, judged the same again.
    assert.deepEqual([zoneOf("Mars/Olympus_Mons"), zoneOf("UTC")], [undefined, "UTC"]);
  });
});
