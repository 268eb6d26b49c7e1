import { useTranslation } from "../i18n";
import { useAccount, useSwitchChain } from "wagmi";
import { chains, deploymentOn } from "../config";

/** Shown while the wallet is on a chain without Earnest: writes are blocked (TxProvider refuses them) and a switch
 *  is offered. */
export function NetworkBanner() {
  const { t } = useTranslation();
  const { isConnected, chainId } = useAccount();
  const { switchChain, isPending, error } = useSwitchChain();
  if (!isConnected || deploymentOn(chainId)) return null;
  const target = chains.find((c) => deploymentOn(c.id));
  return (
    <div className="banner warning" role="alert" data-testid="wrong-network">
      <p>{t("network.wrong", { chainId: chainId ?? "?" })}</p>
      {target && (
        <button type="button" disabled={isPending} onClick={() => switchChain({ chainId: target.id })}>
          {t("network.switch", { name: target.name })}
        </button>
      )}
      {error && <p>{t("network.switchFailed")}</p>}
    </div>
  );
}
