// The metrics follow Prometheus conventions: the counters and the latency histogram only ever grow, across
// `retry-dead-letters` and restarts; the dead letters waiting now are a gauge; nothing is exported as -1.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
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
} from "./helpers.js";

const SECRET = newSecret();

/** The counter samples of a scrape (`*_total`, and the histogram's buckets, sum and count), by series. */
function counterSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const [, series, value] of text.matchAll(/^(earnest_notifier_\S+) (\S+)$/gm)) {
    if (/_total$|^earnest_notifier_delivery_latency_seconds/.test(series)) samples.set(series, Number(value));
  }
  return samples;
}

describe("notifier: metrics", () => {
  let chain: Chain;
  let escrow: Earnest;
  let receiver: Receiver;
  let notifier: NotifierProcess | undefined;
  const tmp = tempDir();

  before(async () => {
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    receiver = await Receiver.start({ "/hook": SECRET });
  });

  after(async () => {
    await notifier?.kill();
    await receiver?.down();
    await chain?.stop();
    tmp.remove();
  });

  it("never lowers a counter across retry-dead-letters and restarts, and keeps the dead letters as a gauge", async () => {
    const merchant: Address = chain.accounts[2];
    await escrow.send(merchant, "registerMerchant", [chain.accounts[3], "Chez Metrics"]);
    const offering = await escrow.createOffering(merchant, await escrow.terms());
    const slot = await escrow.slot(offering.terms, 3);
    for (const customer of chain.accounts.slice(6, 9))
      await escrow.book(customer, offering.offeringId, offering.terms, slot);
    const chainId = await chain.client.getChainId();
    const events = (await escrow.allLogs()).filter((l) => l.blockNumber! > escrow.deployBlock);
    const n = new Set(events.map((l) => eventIdOf(chainId, l))).size;
    assert.equal(n, 5, "registered, offering, three bookings");

    const port = await freePort();
    const args = notifierArgs({
      chain,
      escrow,
      dir: tmp.dir,
      port,
      merchants: { [merchant]: { secret: SECRET, webhooks: [receiver.url()] } },
      delivery: { maxAttempts: 2 },
    });
    const scrapes: string[] = [];
    const scrape = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      scrapes.push(text);
      return text;
    };
    const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    const settled = (want: Record<string, number>) => async () => {
      const text = await scrape();
      return Object.entries(want).every(([name, v]) => metric(text, `earnest_notifier_${name}`) === v) && text;
    };
    const start = async () => {
      notifier = new NotifierProcess(args);
      await notifier.ready();
    };
    const stop = async () => {
      notifier!.signal("SIGTERM");
      assert.equal((await notifier!.exited).code, 0);
    };
    const retryDeadLetters = async (count: number) => {
      const command = new NotifierProcess([...args, "retry-dead-letters"]);
      assert.equal((await command.exited).code, 0, command.output);
      assert.match(command.output, new RegExp(`^${count} dead letters queued again\\.$`, "m"));
    };

    // The receiver refuses everything: each delivery fails twice and is given up on.
    receiver.failWith = 500;
    await start();
    await waitFor(
      "every delivery dead",
      settled({ dead_letters: n, deliveries_failed_total: n, delivery_attempts_failed_total: 2 * n }),
    );
    // Queued again while running, and given up on again: the counter goes on, the gauge comes back.
    await retryDeadLetters(n);
    await waitFor("dead again", settled({ dead_letters: n, deliveries_failed_total: 2 * n }));

    // A restart keeps every counter where it was.
    const beforeStop = counterSamples(await scrape());
    await stop();
    await start();
    assert.deepEqual(counterSamples(await scrape()), beforeStop);

    // The receiver is back: the dead letters queued again are delivered, and counted once each.
    receiver.failWith = undefined;
    await retryDeadLetters(n);
    const delivered = await waitFor(
      "delivered",
      settled({ dead_letters: 0, deliveries_pending: 0, deliveries_sent_total: n, deliveries_failed_total: 2 * n }),
    );
    assert.equal(metric(delivered, "earnest_notifier_delivery_latency_seconds_count"), n);
    assert.equal(counterSamples(delivered).get('earnest_notifier_delivery_latency_seconds_bucket{le="+Inf"}'), n);
    await stop();
    await start();
    assert.deepEqual(counterSamples(await scrape()), counterSamples(delivered));
    assert.equal(receiver.received.length, n);
    assert.deepEqual(receiver.refused, []);

    // Scrape after scrape, no counter ever went down, and no value was a placeholder.
    for (let i = 1; i < scrapes.length; i++) {
      const [previous, current] = [counterSamples(scrapes[i - 1]), counterSamples(scrapes[i])];
      for (const [series, value] of previous) {
        assert.ok((current.get(series) ?? -Infinity) >= value, `${series} fell from ${value} in scrape ${i}`);
      }
    }
    for (const text of scrapes) assert.doesNotMatch(text, / -1$/m);
  });
});
