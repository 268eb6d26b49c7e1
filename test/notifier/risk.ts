// Each risk alert raised by a scenario made for it, and only by it: a burst of bookings from one address, a
// spike of cancellations on an offering, an unusually large deposit, a dispute opened.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { zeroAddress, type Address } from "viem";
import {
  DAY,
  Earnest,
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

const MERCHANT_SECRET = newSecret();
const ALERT_SECRET = newSecret();

describe("notifier: risk alerts", () => {
  let chain: Chain;
  let escrow: Earnest;
  let receiver: Receiver;
  let notifier: NotifierProcess | undefined;
  const tmp = tempDir();

  before(async () => {
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
    receiver = await Receiver.start({ "/merchant": MERCHANT_SECRET, "/alerts": ALERT_SECRET });
  });

  after(async () => {
    await notifier?.kill();
    await receiver?.down();
    await chain?.stop();
    tmp.remove();
  });

  it("raises each alert for the scenario made for it, and no other", async () => {
    const merchant: Address = chain.accounts[2];
    const arbiter: Address = chain.accounts[4];
    await escrow.send(merchant, "registerMerchant", [chain.accounts[3], "Chez Risk"]);
    const busy = await escrow.createOffering(merchant, await escrow.terms());
    const fickle = await escrow.createOffering(merchant, await escrow.terms());
    const calm = await escrow.createOffering(merchant, await escrow.terms());
    const disputed = await escrow.createOffering(merchant, await escrow.terms({ arbiter, arbiterTimeout: 3 * DAY }));

    notifier = new NotifierProcess(
      notifierArgs({
        chain,
        escrow,
        dir: tmp.dir,
        port: await freePort(),
        merchants: { [merchant]: { secret: MERCHANT_SECRET, webhooks: [receiver.url("/merchant")] } },
        alerts: {
          secret: ALERT_SECRET,
          webhooks: [receiver.url("/alerts")],
          bookingBurst: { count: 3, windowSeconds: 600 },
          cancellationSpike: { count: 2, windowSeconds: 3600 },
          largeDeposit: { [zeroAddress]: "500000000000000000" }, // 0.5 ETH
          disputeOpened: true,
        },
      }),
    );
    await notifier.ready();
    const [, , , , , , burster, calmCustomer, canceller1, canceller2, whale, disputer] = chain.accounts;
    const slot = await escrow.slot(busy.terms, 3);

    // Burst: three bookings from one address raise one alert; a fourth within the window raises none.
    for (let i = 0; i < 4; i++) await escrow.book(burster, busy.offeringId, busy.terms, slot);
    for (let i = 0; i < 2; i++) await escrow.book(calmCustomer, busy.offeringId, busy.terms, slot);

    // Spike: two cancellations on one offering; a single one on another stays quiet.
    for (const customer of [canceller1, canceller2]) {
      const id = await escrow.book(customer, fickle.offeringId, fickle.terms, slot);
      await escrow.send(customer, "cancel", [id]);
    }
    const loner = chain.accounts[12];
    await escrow.send(loner, "cancel", [await escrow.book(loner, calm.offeringId, calm.terms, slot)]);

    // Large deposit: 60 seats at 0.01 ETH.
    const large = await escrow.book(whale, calm.offeringId, calm.terms, slot, 60);
    await escrow.book(whale, calm.offeringId, calm.terms, slot, 49);

    // Dispute: book a slot two hours ahead, move to its start, dispute.
    const soon = await escrow.slot(disputed.terms, 2 / 24);
    const toDispute = await escrow.book(disputer, disputed.offeringId, disputed.terms, soon);
    await chain.rpc("evm_setNextBlockTimestamp", [soon + 60]);
    await escrow.send(disputer, "dispute", [toDispute, "Nobody at the door"]);

    const expected = [
      `bookingBurst ${burster.toLowerCase()}`,
      `cancellationSpike ${fickle.offeringId}`,
      `disputeOpened ${toDispute}`,
      `largeDeposit ${large}`,
    ];
    const alerts = () => receiver.received.filter((r) => r.path === "/alerts");
    await waitFor("the alerts", () => alerts().length >= expected.length);
    await waitFor("the merchant's events", async () => {
      const head = await chain.client.getBlockNumber({ cacheTime: 0 });
      return receiver.received.some((r) => r.path === "/merchant" && r.body.blockNumber === Number(head));
    });
    await new Promise((r) => setTimeout(r, 300));

    const raised = alerts().map((r) => `${String(r.body.rule)} ${String(r.body.subject)}`);
    assert.deepEqual(raised.sort(), expected);
    for (const r of alerts()) {
      assert.equal(r.body.type, "alert");
      assert.match(r.body.id, new RegExp(`^alert:${String(r.body.rule)}:\\d+:0x[0-9a-f]{64}:\\d+$`));
    }
    assert.deepEqual(receiver.refused, [], "every alert and event verified with its own secret");
    const dispute = alerts().find((r) => r.body.rule === "disputeOpened")!;
    assert.equal((dispute.body.details as { reason: string }).reason, "Nobody at the door", "the arbiter's brief");
    assert.match(String(dispute.body.message), /"Nobody at the door"/);
    assert.match(notifier.output, /"msg":"alert","rule":"disputeOpened"/, "alerts go to the log too");
  });
});
