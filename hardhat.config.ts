import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
const solcVersion: string = (require("solc/package.json") as { version: string }).version;

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    // The compiler comes from the exactly pinned npm `solc` package: no download at build time.
    version: solcVersion,
    path: require.resolve("solc/soljson.js"),
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 500 },
      // test/escrow/surface.ts checks that EarnestEscrow and EscrowExtension agree on every slot.
      outputSelection: { "*": { "*": ["storageLayout"] } },
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 1000 },
      invariant: { runs: 500, depth: 60 },
    },
  },
  networks: {
    // `npm run dev`'s chain starts six weeks in the past, so that scripts/seed.ts can make a history (visits,
    // reviews, a loyalty reward) before it brings the clock to the wall clock's time.
    demo: { type: "edr-simulated", initialDate: new Date(Date.now() - 42 * 86_400_000) },
    // Tests and benchmarks that start their own node point `localhost` at it.
    localhost: { type: "http", url: process.env.EARNEST_LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
