// `npm run relayer [-- flags]`: runs the relayer until SIGTERM or SIGINT. See services/relayer/README.md.
import { NoContractError, RpcUnreachableError } from "@earnest/sdk";
import { ConfigError, loadConfig, parseArgs } from "./config.js";
import { log } from "./log.js";
import { Relayer } from "./service.js";

async function main(): Promise<void> {
  const config = loadConfig(parseArgs(process.argv.slice(2)));
  const relayer = await Relayer.start(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log("warn", "second signal: exiting at once", { signal });
      process.exit(1);
    }
    stopping = true;
    log("info", "stopping", { signal });
    relayer.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log("error", "stop failed", { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** What stops the relayer before it starts, by name: a bad setting, or a chain that is not as configured. */
function isStartupError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof RpcUnreachableError || error instanceof NoContractError;
}

main().catch((error: unknown) => {
  if (isStartupError(error)) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message.split("\n")[0]})` : "";
    console.error(`relayer: ${error.name}: ${error.message}${cause}`);
    process.exit(2);
  }
  console.error(`relayer: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
