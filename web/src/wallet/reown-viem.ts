// What WalletConnect's modal (Reown AppKit) takes from viem when it connects. AppKit asks for it with
// `import("viem")`, which would make the whole of viem one chunk the first load shares; vite.config.ts points that
// import here instead, so only these three load, and only with WalletConnect.
export { createPublicClient, defineChain, http } from "viem";
