// Reorganisations made with evm_snapshot / evm_revert: an event delivered and then dropped is followed by a
// "reverted" notification with the same id; one dropped before it was confirmed is never delivered at all.
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

describe("notifier: reorganisations", () => {
  let chain: Chain;
  let escrow: Earnest;
  let receiver: Receiver;
  const notifiers: NotifierProcess[] = [];
  const tmpShallow = tempDir();
  const tmpDeep = tempDir();
  let metricsPort: number;

  before(async () => {
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    receiver = await Receiver.start({ "/shallow": SECRET, "/deep": SECRET });
  });

  after(async () => {
    for (const n of notifiers) await n.kill();
    await receiver?.down();
    await chain?.stop();
    tmpShallow.remove();
    tmpDeep.remove();
  });

  async function canonicalIds(): Promise<Set<string>> {
    const chainId = await chain.client.getChainId();
    const logs = (await escrow.allLogs()).filter((l) => l.blockNumber! > escrow.deployBlock);
    return new Set(logs.map((l) => eventIdOf(chainId, l)));
  }

  it("follows a delivered-then-dropped event with 'reverted', and never delivers an unconfirmed dropped one", async () => {
    const merchant: Address = chain.accounts[2];
    await escrow.send(merchant, "registerMerchant", [chain.accounts[3], "Chez Reorg"]);
    const offering = await escrow.createOffering(merchant, await escrow.terms());
    const slot = await escrow.slot(offering.terms, 3);
    metricsPort = await freePort();
    const setup = (dir: string, port: number, confirmations: number, path: string) =>
      notifierArgs({
        chain,
        escrow,
        dir,
        port,
        confirmations,
        merchants: { [merchant]: { secret: SECRET, webhooks: [receiver.url(path)] } },
      });
    // Two notifiers on the same chain: one delivers at once, the other waits for 3 confirmations.
    notifiers.push(new NotifierProcess(setup(tmpShallow.dir, metricsPort, 0, "/shallow")));
    notifiers.push(new NotifierProcess(setup(tmpDeep.dir, await freePort(), 3, "/deep")));
    await Promise.all(notifiers.map((n) => n.ready()));
    await chain.rpc("hardhat_mine", ["0x3"]); // confirms the setup events for /deep
    const settled = await canonicalIds();
    await waitFor("the setup events", () => receiver.ids("event", "/deep").size === settled.size);

    const snapshot = await chain.rpc<string>("evm_snapshot");
    for (const customer of chain.accounts.slice(6, 9))
      await escrow.book(customer, offering.offeringId, offering.terms, slot);
    const dropped = [...(await canonicalIds())].filter((id) => !settled.has(id));
    assert.equal(dropped.length, 3);
    await waitFor("the soon-dropped bookings", () => dropped.every((id) => receiver.ids("event", "/shallow").has(id)));

    assert.equal(await chain.rpc<boolean>("evm_revert", [snapshot]), true);
    await escrow.book(chain.accounts[12], offering.offeringId, offering.terms, slot);
    await chain.rpc("hardhat_mine", ["0x5"]);
    const canonical = await canonicalIds();
    assert.ok(
      dropped.every((id) => !canonical.has(id)),
      "the revert dropped the bookings",
    );

    await waitFor("the reverted notices", () => dropped.every((id) => receiver.ids("reverted", "/shallow").has(id)));
    await waitFor("the new chain's events", () =>
      [...canonical].every((id) => receiver.ids("event", "/shallow").has(id) && receiver.ids("event", "/deep").has(id)),
    );
    await new Promise((r) => setTimeout(r, 300));

    // Shallow: each dropped event arrived, then its "reverted" notice with the same id and block.
    for (const id of dropped) {
      const requests = receiver.received.filter((r) => r.path === "/shallow" && r.body.id === id);
      assert.deepEqual(
        requests.map((r) => r.body.type),
        ["event", "reverted"],
      );
      assert.equal(requests[1].body.blockHash, requests[0].body.blockHash);
      // A receiver deduplicating on webhook-id, as Standard Webhooks has it, must not drop the notice.
      assert.notEqual(requests[1].headers["webhook-id"], requests[0].headers["webhook-id"]);
    }
    assert.deepEqual(receiver.refused, []);
    assert.equal(receiver.ids("reverted", "/shallow").size, dropped.length, "nothing else is reverted");
    // Deep: the dropped events were never confirmed, so never delivered, and nothing needs reverting.
    assert.deepEqual(receiver.ids("event", "/deep"), canonical);
    assert.equal(receiver.ids("reverted", "/deep").size, 0);

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /^earnest_notifier_reorgs_total 1$/m);
  });
});
