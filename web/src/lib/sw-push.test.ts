// public/sw.js's push handlers, run against a stand-in worker scope: a notice is worded from the context the page
// handed over (its language, the booking's name), and a tap opens the booking's pass.
import { describe, expect, it } from "vitest";
import source from "../../public/sw.js?raw";
import en from "../i18n/locales/en/customer";
import zh from "../i18n/locales/zh-CN/customer";
import { pushKinds, type PushContext } from "./push";

type Listener = (event: Record<string, unknown>) => void;

function loadWorker() {
  const listeners = new Map<string, Listener[]>();
  const store = new Map<string, string>();
  const shown: { title: string; options: { body: string; lang?: string; tag: string; data: { url: string } } }[] = [];
  const opened: string[] = [];
  const scope = "https://app.example/";
  const self = {
    location: { href: `${scope}sw.js`, origin: "https://app.example" },
    registration: {
      scope,
      showNotification: (title: string, options: (typeof shown)[number]["options"]) =>
        Promise.resolve(void shown.push({ title, options })),
    },
    clients: {
      matchAll: () => Promise.resolve([]),
      openWindow: (url: string) => Promise.resolve(void opened.push(url)),
    },
    addEventListener: (type: string, listener: Listener) =>
      listeners.set(type, [...(listeners.get(type) ?? []), listener]),
    Response,
    skipWaiting: () => undefined,
  };
  const caches = {
    open: () =>
      Promise.resolve({
        put: async (key: string, response: Response) => void store.set(key, await response.text()),
        match: (key: string) => Promise.resolve(store.has(key) ? new Response(store.get(key)) : undefined),
        addAll: () => Promise.resolve(),
      }),
    keys: () => Promise.resolve([]),
  };
  // The worker is a plain script for the browser's worker scope: run as such, with the scope's globals passed in.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function("self", "caches", "fetch", source) as (...scope: unknown[]) => void;
  run(self, caches, fetch);
  /** Dispatches an event and waits for what it handed to waitUntil. */
  const dispatch = async (type: string, event: Record<string, unknown>) => {
    const waits: Promise<unknown>[] = [];
    for (const listener of listeners.get(type) ?? []) {
      listener({ ...event, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    }
    await Promise.all(waits);
  };
  return { dispatch, shown, opened };
}

const escrow = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const context: PushContext = {
  type: "push-context",
  locale: "zh-CN",
  unnamed: "您的预订",
  texts: {
    booked: { title: "预订已确认", body: "{{name}} 已预订。" },
    freeCancellationEnding: { title: "免费取消即将截止", body: "{{name}}：请尽快。" },
    refunded: { title: "退款已到账", body: "{{name}}：押金的 {{share}} 已退还给您。" },
    disputeRuled: { title: "争议已裁决", body: "{{name}}：{{share}}" },
    creditWithdrawn: { title: "退款已支付", body: "您的余额已支付到您的钱包。" },
    reward: zh.push.reward,
  },
  bookings: { [`31337:${escrow.toLowerCase()}:42`]: { name: "晚餐", pass: "https://app.example/#/pass/abc" } },
};

const push = (notice: object) => ({ data: { json: () => notice } });

describe("service worker: push", () => {
  it("words a notice in the language the page stored, and a tap opens the booking's pass", async () => {
    const worker = loadWorker();
    await worker.dispatch("message", { data: context });
    await worker.dispatch("push", push({ kind: "refunded", chainId: 31337, escrow, bookingId: "42", refundBps: 5000 }));
    expect(worker.shown).toHaveLength(1);
    const [{ title, options }] = worker.shown;
    expect(title).toBe("退款已到账");
    expect(options.body).toBe("晚餐：押金的 50% 已退还给您。");
    expect(options.lang).toBe("zh-CN");
    await worker.dispatch("notificationclick", { notification: { close: () => undefined, data: options.data } });
    expect(worker.opened).toEqual(["https://app.example/#/pass/abc"]);
  });

  it("falls back to the booking's unnamed wording and My bookings for a booking the page has no pass for", async () => {
    const worker = loadWorker();
    await worker.dispatch("message", { data: context });
    await worker.dispatch("push", push({ kind: "booked", chainId: 31337, escrow, bookingId: "7", url: "#/bookings" }));
    const [{ options }] = worker.shown;
    expect(options.body).toBe("您的预订 已预订。");
    expect(options.data.url).toBe("https://app.example/#/bookings");
  });

  it("words a loyalty reward with its discount, one notice per coupon, and a tap opens the coupon's booking", async () => {
    const worker = loadWorker();
    await worker.dispatch("message", { data: { ...context, locale: "en", texts: { ...context.texts, ...en.push } } });
    const salt = `0x${"ab".repeat(32)}`;
    const notice = {
      kind: "reward",
      chainId: 31337,
      escrow,
      offeringId: 3,
      token: escrow,
      amount: "5000000",
      discountBps: 2000,
      rewardNumber: 1,
      salt,
      url: "#/offerings/3/coupon/eyJvIjozfQ",
    };
    await worker.dispatch("push", push(notice));
    await worker.dispatch("push", push({ ...notice, discountBps: 1250 }));
    const [first, second] = worker.shown;
    expect(first.title).toBe("Reward earned");
    expect(first.options.body).toBe("20% off a seat of your next visit. Tap to book with it.");
    expect(second.options.body).toMatch(/^12\.5% off/);
    expect(first.options.tag).toBe(`reward:${salt}`);
    await worker.dispatch("notificationclick", { notification: { close: () => undefined, data: first.options.data } });
    expect(worker.opened).toEqual(["https://app.example/#/offerings/3/coupon/eyJvIjozfQ"]);

    const chinese = loadWorker();
    await chinese.dispatch("message", { data: context });
    await chinese.dispatch("push", push(notice));
    expect(chinese.shown[0].title).toBe("获得奖励");
    expect(chinese.shown[0].options.body).toBe("下次到访可享一个座位 20% 的优惠。点按即可使用。");
  });

  it("has a title and a body for every kind in both languages", () => {
    for (const texts of [en.push, zh.push] as Record<string, unknown>[]) {
      for (const kind of pushKinds) {
        const text = texts[kind] as { title?: unknown; body?: unknown } | undefined;
        expect(typeof text?.title, kind).toBe("string");
        expect(typeof text?.body, kind).toBe("string");
      }
    }
    expect(pushKinds).toContain("reward");
  });
});
