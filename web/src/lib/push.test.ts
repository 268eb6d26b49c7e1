import { afterEach, describe, expect, it, vi } from "vitest";
import { parseSiweMessage } from "viem/siwe";
import { keyBytes, postSubscription, PushApiError, pushSupported, subscribeMessage } from "./push";

const address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("push", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("offers push only where the browser has a service worker, the Push API and notifications", () => {
    const navigator = { serviceWorker: {} };
    expect(pushSupported({ navigator, PushManager: class {}, Notification: class {} } as never)).toBe(true);
    expect(pushSupported({ navigator, Notification: class {} } as never)).toBe(false); // Safari outside a home-screen app
    expect(pushSupported({ navigator: {}, PushManager: class {}, Notification: class {} } as never)).toBe(false);
  });

  it("signs a SIWE message for this origin and chain, naming the subscription, good for five minutes", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    const message = subscribeMessage({
      address,
      chainId: 31337,
      nonce: "abcdefgh12345678",
      endpoint: "https://push.example/send/xyz",
      origin: "https://app.example:8443",
      now,
    });
    const parsed = parseSiweMessage(message);
    expect(parsed).toMatchObject({
      address,
      chainId: 31337,
      domain: "app.example:8443",
      uri: "https://app.example:8443",
      nonce: "abcdefgh12345678",
      resources: ["https://push.example/send/xyz"],
    });
    expect(parsed.expirationTime!.getTime() - parsed.issuedAt!.getTime()).toBe(5 * 60_000);
  });

  it("turns the notifier's base64url key into the 65 bytes of a P-256 point", () => {
    const point = new Uint8Array(65).map((_, i) => (i * 37) % 256);
    point[0] = 4;
    const base64url = btoa(String.fromCharCode(...point))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect([...keyBytes(base64url)]).toEqual([...point]);
  });

  it("reports the notifier's refusal by its code, and an unreachable notifier as network", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() =>
        Promise.resolve(new Response(JSON.stringify({ error: { code: "nonce_used", message: "…" } }), { status: 409 })),
      ),
    );
    const body = { message: "m", signature: "0x00" as const, subscription: { endpoint: "https://push.example/x" } };
    await expect(postSubscription("https://notifier.example", body)).rejects.toEqual(new PushApiError("nonce_used"));
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    await expect(postSubscription("https://notifier.example", body)).rejects.toMatchObject({ code: "network" });
  });
});
