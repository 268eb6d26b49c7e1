import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { i18nReady } from "./i18n";
import { App } from "./app/App";
import { registerServiceWorker } from "./lib/service-worker";
import "./styles.css";
import { TxProvider } from "./tx/TxProvider";
import { wagmiConfig } from "./wagmi";

// Chain reads refresh on a block's rhythm, not on every render or focus.
const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 12_000, refetchOnWindowFocus: false, retry: 1 } },
});

// A visitor who reads Chinese gets Chinese from the first paint, not English for a moment.
void i18nReady.then(() =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <WagmiProvider config={wagmiConfig}>
        <QueryClientProvider client={queryClient}>
          <TxProvider>
            <App />
          </TxProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  ),
);

registerServiceWorker();
