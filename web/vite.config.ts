/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dApp. `web/` is Vite's root; the sdk is imported from `../sdk` (contracts → bindings → sdk → web).
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [react()],
  server: { host: "127.0.0.1", fs: { allow: [".."] } },
  preview: { host: "127.0.0.1" },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", manifest: true },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
    // Room for a busy machine: the Ledger tests load the DMK and talk to the fake device, which takes seconds
    // when other processes share the cores. No test relies on finishing sooner.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
