import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { startTransition, StrictMode } from "react";
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

// A visitor who reads Chinese gets Chinese from the first paint, not English for a moment. The first render is a
// transition, so React yields to the browser between components instead of holding a phone's main thread for the
// whole tree in one task.
void i18nReady.then(() => {
  const root = createRoot(document.getElementById("root")!);
  startTransition(() =>
    root.render(
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
});

registerServiceWorker();
