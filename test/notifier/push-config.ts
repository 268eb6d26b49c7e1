// The `push` settings, and the push outbox's rule of one delivery per notice and subscription (no chain needed).
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { MissingSettingError, UnknownOptionError } from "@earnest/service-kit";
import { InvalidVapidKeyError, pushConfig } from "../../services/notifier/push-config.js";
import { Store } from "../../services/notifier/store.js";
import { tempDir } from "./helpers.js";
import { APP_ORIGIN, vapidKeys } from "./push-helpers.js";

describe("notifier: push settings", () => {
  const keys = vapidKeys();

  it("leaves push off without keys, and takes a pair with the dApp's origins", () => {
    assert.equal(pushConfig(undefined, {}), undefined);
    assert.equal(pushConfig({ origins: [APP_ORIGIN] }, {}), undefined);
    const config = pushConfig(
      { vapidPublicKey: keys.vapidPublicKey, vapidPrivateKey: "env:VAPID", origins: [`${APP_ORIGIN}/path`] },
      { VAPID: keys.vapidPrivateKey },
    );
    assert.equal(config?.vapidPrivateKey, keys.vapidPrivateKey, "read from the environment");
    assert.deepEqual(config?.origins, [APP_ORIGIN], "an origin, not a page");
    assert.equal(config?.noticeSeconds, 24 * 3600);
    assert.equal(config?.allowHttpEndpoints, false);
  });

  it("stops at a key that is not one, or halves of two pairs, with a named error", () => {
    const other = vapidKeys();
    const base = { origins: [APP_ORIGIN] };
    assert.throws(
      () => pushConfig({ ...base, vapidPublicKey: keys.vapidPublicKey, vapidPrivateKey: other.vapidPrivateKey }, {}),
      InvalidVapidKeyError,
    );
    assert.throws(
      () => pushConfig({ ...base, vapidPublicKey: keys.vapidPublicKey, vapidPrivateKey: "not-a-key" }, {}),
      InvalidVapidKeyError,
    );
    assert.throws(() => pushConfig({ ...base, vapidPublicKey: keys.vapidPublicKey }, {}), MissingSettingError);
    assert.throws(() => pushConfig({ ...keys }, {}), MissingSettingError, "no origins");
    assert.throws(() => pushConfig({ ...base, ...keys, vapidKey: "x" }, {}), UnknownOptionError);
    assert.throws(
      () => pushConfig({ ...base, vapidPublicKey: keys.vapidPublicKey, vapidPrivateKey: "env:UNSET" }, {}),
      InvalidVapidKeyError,
    );
  });
});

describe("notifier: push outbox", () => {
  it("holds one delivery per notice and subscription; a reorganisation drops it unsent, and it may come back", () => {
    const tmp = tempDir();
    const store = new Store(path.join(tmp.dir, "notifier.db"));
    try {
      const sub = store.putPushSubscription(
        "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        "https://p.example/1",
        "k",
        "a",
        0,
      );
      const event = {
        id: "31337:0xabc:0",
        blockNumber: 5n,
        blockHash: "0x05" as const,
        blockTime: 100,
        txHash: "0xabc" as const,
        logIndex: 0,
        name: "Booked",
        merchant: null,
        offeringId: 1,
        customer: null,
        bookingId: 7n,
        args: "{}",
      };
      const push = {
        notificationId: event.id,
        eventId: event.id,
        target: `push:${sub}`,
        url: "https://p.example/1",
        body: "{}",
      };
      const pending = () => store.due(Date.now() + 1000, 10).filter((d) => d.kind === "push");
      store.transaction(() => {
        store.setCursor({ number: 5n, hash: "0x05" });
        store.insertEvent(event);
        store.addPushDelivery(push, 0);
        store.addPushDelivery(push, 0);
      });
      assert.equal(pending().length, 1, "queued once");

      store.transaction(() => store.rewind({ number: 4n, hash: "0x04" }, new Set(), 0));
      assert.equal(pending().length, 0, "dropped with its event, and no 'reverted' push");
      store.transaction(() => {
        store.insertEvent(event);
        store.addPushDelivery(push, 0);
      });
      const [again] = pending();
      assert.ok(again, "the event came back: so does its notice");

      assert.ok(store.markSent(again.id, 1, 0));
      store.transaction(() => store.addPushDelivery(push, 0));
      assert.equal(pending().length, 0, "sent once, never queued again");
    } finally {
      store.close();
      tmp.remove();
    }
  });
});
