// "Notify me on this phone": Web Push through the notifier. Renders nothing where it cannot work (no notifier
// configured, a browser without the Push API, no service worker): the in-app reminder banner stays for those.
// Permission is asked only on the tap; the customer signs a Sign-In with Ethereum message through the dApp's one
// signature lifecycle (tx/TxProvider), so nobody can subscribe to another's bookings.
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { useAccount, useConfig } from "wagmi";
import { signMessage } from "wagmi/actions";
import { parseMetadata } from "@earnest/sdk";
import { notifierUrl } from "../config";
import { useTranslation } from "../i18n";
import { useOfferings, useReadChain } from "../lib/chain";
import { useCustomerBookings } from "../lib/customer-bookings";
import {
  bookingKey,
  fetchPushKey,
  fetchPushNonce,
  keyBytes,
  postSubscription,
  postUnsubscription,
  PushApiError,
  pushKinds,
  pushSupported,
  rememberSubscription,
  sendPushContext,
  subscribeMessage,
  subscribedAccount,
  type PushContext,
} from "../lib/push";
import { passToken, passUrl } from "../pass/pass-store";
import { useTransactor } from "../tx/TxProvider";

type State = "loading" | "off" | "on" | "working" | "denied" | "failed";

export function PushToggle() {
  const { t, i18n } = useTranslation(["customer", "common"]);
  const config = useConfig();
  const { address, chainId: walletChain } = useAccount();
  const { chainId, deployment } = useReadChain();
  const { data: bookings } = useCustomerBookings(address);
  const { data: offerings } = useOfferings();
  const transactor = useTransactor();
  const [registration, setRegistration] = useState<ServiceWorkerRegistration>();
  const [state, setState] = useState<State>("loading");
  const [error, setError] = useState<string>();
  const base = notifierUrl;
  const supported = base !== undefined && pushSupported();

  // The worker is registered by production builds only (lib/service-worker.ts): without one, nothing to offer.
  useEffect(() => {
    if (!supported) return;
    let live = true;
    void navigator.serviceWorker.getRegistration().then(async (found) => {
      if (!live || !found) return;
      const subscription = await found.pushManager.getSubscription();
      if (!live) return;
      setRegistration(found);
      setState(subscription && address && subscribedAccount() === address ? "on" : "off");
    });
    return () => {
      live = false;
    };
  }, [supported, address]);

  // What the worker words notices with, refreshed when the language or the bookings change.
  const context: PushContext | undefined =
    deployment && bookings
      ? {
          type: "push-context",
          locale: i18n.language,
          unnamed: t("push.unnamed"),
          texts: Object.fromEntries(
            pushKinds.map((kind) => [kind, { title: t(`push.${kind}.title`), body: t(`push.${kind}.body`) }]),
          ) as PushContext["texts"],
          bookings: Object.fromEntries(
            bookings.map((b) => {
              const offering = offerings?.offerings.find((o) => o.id === b.offeringId);
              const token = passToken(chainId, deployment.escrow, b.bookingId);
              return [
                bookingKey(chainId, deployment.escrow, b.bookingId),
                { name: offering && parseMetadata(offering.metadata).name, pass: token && passUrl(token) },
              ];
            }),
          ),
        }
      : undefined;
  const contextJson = JSON.stringify(context);
  useEffect(() => {
    if (state === "on" && context) void sendPushContext(context);
    // contextJson stands for `context`, rebuilt on every render: sent again only when its content changed.
  }, [state, contextJson]);

  if (!supported || !registration || !address || state === "loading") return null;

  async function turnOn(account: Address, worker: ServiceWorkerRegistration, notifier: string) {
    setError(undefined);
    // Asked on this tap only, never on page load.
    if ((await Notification.requestPermission()) !== "granted") return setState("denied");
    setState("working");
    try {
      const key = await fetchPushKey(notifier);
      const subscription = await worker.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(key),
      });
      const nonce = await fetchPushNonce(notifier);
      const message = subscribeMessage({
        address: account,
        chainId: walletChain ?? chainId,
        nonce,
        endpoint: subscription.endpoint,
        origin: location.origin,
      });
      const signed = await transactor.sign(t("push.signLabel"), () => signMessage(config, { account, message }));
      if (!signed.ok) return setState("off"); // the lifecycle's toast says why
      if (context) await sendPushContext(context);
      await postSubscription(notifier, { message, signature: signed.value, subscription: subscription.toJSON() });
      rememberSubscription(account);
      setState("on");
    } catch (e) {
      setError(e instanceof PushApiError ? e.code : "browser");
      setState("failed");
    }
  }

  async function turnOff(account: Address, worker: ServiceWorkerRegistration, notifier: string) {
    setError(undefined);
    setState("working");
    const subscription = await worker.pushManager.getSubscription();
    if (subscription) {
      // Removed here even when the notifier cannot be reached: the push service then answers it 410.
      await postUnsubscription(notifier, subscription.endpoint, account).catch(() => undefined);
      await subscription.unsubscribe();
    }
    rememberSubscription(undefined);
    setState("off");
  }

  const on = state === "on";
  return (
    <div className="push-toggle" data-testid="push-toggle">
      <button
        type="button"
        aria-pressed={on}
        disabled={state === "working"}
        onClick={() => void (on ? turnOff : turnOn)(address, registration, base)}
      >
        {on ? t("push.disable") : t("push.enable")}
      </button>
      <p className="muted" role={state === "denied" || state === "failed" ? "alert" : "status"}>
        {state === "on" && t("push.on")}
        {state === "working" && t("push.working")}
        {state === "denied" && t("push.denied")}
        {state === "failed" && t("push.failed", { code: error ?? "" })}
      </p>
    </div>
  );
}

export default PushToggle;
