// `npm run notifier [-- flags]`: runs the notifier until SIGTERM or SIGINT. See services/notifier/README.md.
//   npm run notifier -- dead-letters          lists deliveries given up on
//   npm run notifier -- retry-dead-letters    puts them back in the queue (a running notifier picks them up)
import { NoContractError, RpcUnreachableError } from "@earnest/sdk";
import { ConfigError, loadConfig, parseArgs, UnknownOptionError } from "./config.js";
import { log } from "./log.js";
import { Notifier } from "./service.js";
import { Store } from "./store.js";

async function main(): Promise<void> {
  const { flags, commands } = parseArgs(process.argv.slice(2));
  const config = loadConfig(flags);
  const command = commands[0];
  if (command === "dead-letters" || command === "retry-dead-letters") {
    const store = new Store(config.db);
    if (command === "dead-letters") {
      for (const letter of store.deadLetters()) console.log(JSON.stringify(letter));
    } else {
      console.log(`${store.retryDeadLetters(Date.now())} dead letters queued again.`);
    }
    store.close();
    return;
  }
  if (command !== undefined) throw new UnknownOptionError(`Unknown command "${command}".`);

  const notifier = await Notifier.start(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log("warn", "second signal: exiting at once", { signal });
      process.exit(1);
    }
    stopping = true;
    log("info", "stopping", { signal });
    notifier.stop().then(
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

/** What stops the notifier before it starts, by name: a bad setting, or a chain that is not as configured. */
function isStartupError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof RpcUnreachableError || error instanceof NoContractError;
}

main().catch((error: unknown) => {
  if (isStartupError(error)) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message.split("\n")[0]})` : "";
    console.error(`notifier: ${error.name}: ${error.message}${cause}`);
    process.exit(2);
  }
  console.error(`notifier: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
