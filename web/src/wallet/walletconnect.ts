// WalletConnect's connector, in a chunk of its own: loaded when the user picks WalletConnect in the wallet picker.
// The connector in turn loads @walletconnect/ethereum-provider and its QR modal when it connects.
import { walletConnect } from "wagmi/connectors";

export function walletConnectConnector(projectId: string) {
  return walletConnect({
    projectId,
    showQrModal: true,
    metadata: {
      name: "Earnest",
      description: "Bookings with a deposit held in escrow",
      url: window.location.origin,
      icons: [],
    },
  });
}
