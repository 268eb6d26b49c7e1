// The notifier killed with SIGKILL mid-stream and restarted loses nothing and repeats only with the same id;
// stopped with SIGTERM it exits cleanly and resumes where it stopped without sending anything twice.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Address } from "viem";
import {
  Earnest,
  eventIdOf,
  freePort,
  newSecret,
  NotifierProcess,
  notifierArgs,
  Receiver,
  startChain,
  tempDir,
  waitFor,
  type Chain,
  type Terms,
} from "./helpers.js";

const SECRET = newSecret();

describe("notifier: restarts", () => {
  let chain: Chain;
  let escrow: Earnest;
  let receiver: Receiver;
  let notifier: NotifierProcess | undefined;
  let args: string[];
  let merchant: Address;
  let offering: { offeringId: number; terms: Terms };
  let slot: number;
  let tmp: ReturnType<typeof tempDir>;

  // Each test gets its own chain, escrow, receiver and notifier database.
  beforeEach(async () => {
    tmp = tempDir();
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    receiver = await Receiver.start({ "/hook": SECRET });
    merchant = chain.accounts[2];
    await escrow.send(merchant, "registerMerchant", [chain.accounts[3], "Chez Restart"]);
    offering = await escrow.createOffering(merchant, await escrow.terms({ seatsPerSlot: 5000 }));
    slot = await escrow.slot(offering.terms, 4);
    args = notifierArgs({
      chain,
      escrow,
      dir: tmp.dir,
      port: await freePort(),
      merchants: { [merchant]: { secret: SECRET, webhooks: [receiver.url()] } },
      delivery: { concurrency: 2 },
    });
  });

  afterEach(async () => {
    await notifier?.kill();
    notifier = undefined;
    await receiver?.down();
    await chain?.stop();
    tmp.remove();
  });

  async function book(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await escrow.book(chain.accounts[6 + (i % 10)], offering.offeringId, offering.terms, slot);
    }
  }

  /** Every escrow event but the constructor's (owner, fee settings), which concern no merchant. */
  async function expectedIds(): Promise<Set<string>> {
    const chainId = await chain.client.getChainId();
    const logs = (await escrow.allLogs()).filter((l) => l.blockNumber! > escrow.deployBlock);
    return new Set(logs.map((l) => eventIdOf(chainId, l)));
  }

  it("loses nothing when killed with SIGKILL mid-stream, and repeats only with the same id", async () => {
    await book(150);
    receiver.delayMs = 20; // slow enough that each kill lands mid-stream
    const kills: (number | "at start")[] = ["at start", 20, 70, 120];
    let moreBookings: Promise<void> | undefined;
    for (const at of kills) {
      notifier = new NotifierProcess(args);
      await notifier.ready();
      if (at !== "at start") await waitFor(`${at} deliveries`, () => receiver.received.length >= at);
      if (at === 70) moreBookings = book(30); // events arriving while it dies and restarts
      notifier.signal("SIGKILL");
      assert.equal((await notifier.exited).signal, "SIGKILL");
    }
    await moreBookings;
    const expected = await expectedIds();
    assert.ok(receiver.ids().size < expected.size, "the kills interrupted the stream");

    notifier = new NotifierProcess(args);
    await notifier.ready();
    await waitFor("every event after the kills", () => receiver.ids().size >= expected.size, 60_000);
    assert.deepEqual(receiver.ids(), expected);

    // Repeats are the same notification again: same id, same body.
    const bodies = new Map<string, { raw: string; webhookId: unknown }>();
    for (const r of receiver.received) {
      const seen = bodies.get(r.body.id);
      const now = { raw: r.raw, webhookId: r.headers["webhook-id"] };
      if (seen !== undefined) assert.deepEqual(now, seen, `a repeat of ${r.body.id} differs`);
      bodies.set(r.body.id, now);
    }
    assert.deepEqual(receiver.refused, []);
    assert.equal(receiver.received.filter((r) => r.body.type !== "event").length, 0);
  });

  it("stops cleanly on SIGTERM and resumes where it stopped", async () => {
    await book(30);
    notifier = new NotifierProcess(args);
    await notifier.ready();
    const delivered = await expectedIds();
    await waitFor("every event so far", () => receiver.ids().size >= delivered.size);
    const sentBefore = receiver.received.length;
    const known = receiver.ids();
    notifier.signal("SIGTERM");
    const { code } = await notifier.exited;
    assert.equal(code, 0);
    assert.match(notifier.output, /"msg":"stopped"/);

    await book(20);
    const expected = await expectedIds();
    notifier = new NotifierProcess(args);
    await notifier.ready();
    await waitFor("the events made while stopped", () => receiver.ids().size >= expected.size);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(receiver.ids(), expected);
    const resent = receiver.received.slice(sentBefore).filter((r) => known.has(r.body.id));
    assert.equal(resent.length, 0, "nothing delivered before the stop is sent again");
    assert.equal(receiver.received.length - sentBefore, expected.size - known.size);

    notifier.signal("SIGINT");
    assert.equal((await notifier.exited).code, 0);
  });
});
