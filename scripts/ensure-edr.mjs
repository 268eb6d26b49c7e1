// postinstall: make sure Hardhat's EDR runtime has its native package.
// npm running on Node 20 silently skips @nomicfoundation/edr-<platform> (its engines field wants Node >= 22), and
// Hardhat then fails with HHE27. During this script `node` is the Node 24 of the `node` devDependency, so when EDR
// does not load we re-run the install with it; npm then picks the native package from the lockfile.
import { spawnSync } from "node:child_process";

const loads = () =>
  spawnSync(process.execPath, ["-e", "require('@nomicfoundation/edr')"], { stdio: "ignore" }).status === 0;

if (!loads()) {
  const npmCli = process.env.npm_execpath;
  if (!npmCli) {
    console.error("ensure-edr: EDR does not load and npm's path is unknown; run `npx -p node@24 -- npm ci`.");
    process.exit(1);
  }
  console.log(`ensure-edr: installing EDR's native package with Node ${process.version}`);
  const install = spawnSync(
    process.execPath,
    [npmCli, "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund"],
    {
      stdio: "inherit",
    },
  );
  if (install.status !== 0 || !loads()) {
    console.error("ensure-edr: EDR still does not load; run `npx -p node@24 -- npm ci`.");
    process.exit(1);
  }
}
