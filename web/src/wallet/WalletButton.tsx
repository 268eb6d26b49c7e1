import { useRef, useState } from "react";
import { useTranslation } from "../i18n";
import { useAccount, useConnect, useConnectors, useDisconnect, type Connector } from "wagmi";
import { walletConnectProjectId as configuredProjectId } from "../config";
import { LedgerOption } from "../ledger";
import { shortAddress } from "../lib/format";

/** Every EIP-6963 wallet wagmi discovered; the plain `injected` fallback only when it is the only way in and the
 *  page has a `window.ethereum` at all. */
function walletsToList(connectors: readonly Connector[]): Connector[] {
  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  if (announced.length > 0) return announced;
  return "ethereum" in window ? connectors.filter((c) => c.id === "injected") : [];
}

/** `walletConnectProjectId` (the build's `VITE_WALLETCONNECT_PROJECT_ID` unless told): WalletConnect is offered
 *  only with one. */
export function WalletButton({ walletConnectProjectId = configuredProjectId }: { walletConnectProjectId?: string }) {
  const { t } = useTranslation();
  const { address, isConnected, connector } = useAccount();
  const { disconnect } = useDisconnect();
  const connectors = useConnectors();
  const { connect, isPending, error, reset } = useConnect();
  const dialog = useRef<HTMLDialogElement>(null);
  // The Ledger entry mounts when the picker opens, so its code is not part of the first load.
  const [open, setOpen] = useState(false);

  if (isConnected && address) {
    return (
      <div className="wallet">
        <span className="address" data-testid="account" title={address}>
          {shortAddress(address)}
        </span>
        <span className="muted">{connector?.name}</span>
        <button type="button" onClick={() => disconnect()} data-testid="disconnect">
          {t("wallet.disconnect")}
        </button>
      </div>
    );
  }

  const close = () => dialog.current?.close();
  const wallets = walletsToList(connectors);
  const connectWalletConnect = async (projectId: string) => {
    // WalletConnect's QR code opens in its own overlay, which this modal dialog would cover: close it meanwhile,
    // and bring it back to say what went wrong.
    close();
    const { walletConnectConnector } = await import("./walletconnect");
    connect({ connector: walletConnectConnector(projectId) }, { onError: () => dialog.current?.showModal() });
  };
  return (
    <div className="wallet">
      <button
        type="button"
        className="primary"
        data-testid="connect"
        onClick={() => {
          reset();
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        {t("wallet.connect")}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="wallet-title"
        onClose={() => setOpen(false)}
        onClick={(e) => e.target === dialog.current && close()}
      >
        <h2 id="wallet-title">{t("wallet.choose")}</h2>
        <ul className="wallet-list">
          {wallets.map((c) => (
            <li key={c.uid}>
              <button
                type="button"
                disabled={isPending}
                data-testid={`wallet-${c.id}`}
                onClick={() => connect({ connector: c }, { onSuccess: close })}
              >
                {c.icon && <img src={c.icon} alt="" width={20} height={20} />}
                {c.id === "injected" ? t("wallet.browserWallet") : c.name}
              </button>
            </li>
          ))}
          {walletConnectProjectId && (
            <li>
              <button
                type="button"
                disabled={isPending}
                data-testid="wallet-walletconnect"
                onClick={() => void connectWalletConnect(walletConnectProjectId)}
              >
                {t("wallet.walletConnect")}
                <span className="muted"> {t("wallet.walletConnectHint")}</span>
              </button>
            </li>
          )}
          {open && (
            <li>
              <LedgerOption onConnected={close} />
            </li>
          )}
        </ul>
        {wallets.length === 0 && <p className="muted">{t("wallet.none")}</p>}
        {error && (
          <p role="alert">
            {(error as { code?: number }).code === 4001 || error.name === "UserRejectedRequestError"
              ? t("wallet.rejected")
              : t("wallet.failed", { message: error.message.split("\n")[0] })}
          </p>
        )}
        <button type="button" onClick={close}>
          {t("action.close")}
        </button>
      </dialog>
    </div>
  );
}
