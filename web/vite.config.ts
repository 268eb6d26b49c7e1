/// <reference types="vitest/config" />
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv, type Plugin, type UserConfig } from "vite";
import { deploymentRpcUrls } from "./src/lib/rpc-urls.ts";

const SAFE_WEB_INTERFACE = "https://app.safe.global";

/** Reown AppKit (WalletConnect's modal) loads viem with `import("viem")`: a dynamic import of the whole package,
 *  which makes viem's index one chunk that the first load, needing part of it, would load whole. Pointed at the
 *  three functions AppKit takes, the first load keeps only what it uses. */
function appKitViemImport(): Plugin {
  const target = JSON.stringify(path.join(import.meta.dirname, "src/wallet/reown-viem.ts"));
  return {
    name: "earnest:appkit-viem-import",
    transform(code, id) {
      if (!id.includes("@reown/appkit-controllers") || !code.includes("import('viem')")) return undefined;
      return { code: code.replaceAll("import('viem')", `import(${target})`), map: null };
    },
  };
}

// The dApp. `web/` is Vite's root; the sdk is imported from `../sdk` (contracts → bindings → sdk → web).
const config: UserConfig = {
  root: import.meta.dirname,
  base: "./",
  plugins: [react(), appKitViemImport()],
  // Safe's web interface fetches public/manifest.json to add the dApp as a Safe App.
  server: { host: "127.0.0.1", fs: { allow: [".."] }, cors: { origin: SAFE_WEB_INTERFACE } },
  preview: { host: "127.0.0.1", cors: { origin: SAFE_WEB_INTERFACE } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    manifest: true,
    // Everything the entry needs statically in one chunk: rolldown otherwise splits it into dozens of small chunks
    // wherever a lazy chunk shares a module, which a phone pays for in round trips and gzip in bytes.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: "initial", tags: ["$initial"] }] } } },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
    // Room for a busy machine: the Ledger tests load the DMK and talk to the fake device, which takes seconds
    // when other processes share the cores. No test relies on finishing sooner.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};

export default defineConfig(({ mode }) => {
  // A malformed `VITE_RPC_URL_<chain id>` stops the build, rather than a dApp that cannot read its chain.
  deploymentRpcUrls({ ...loadEnv(mode, import.meta.dirname, "VITE_"), ...process.env });
  return config;
});
