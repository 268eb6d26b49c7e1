// A service's main: start it, stop it on SIGTERM or SIGINT, and turn what stops it before it starts into exit code 2
// with the error's name and message (anything else: exit 1 with the stack).
import { NoContractError, RpcUnreachableError } from "@earnest/sdk";
import { ConfigError } from "./config.js";
import { log } from "./log.js";

export type Stoppable = { stop(): Promise<void> };

/** Stops `service` on SIGTERM or SIGINT, then exits 0 (1 if stopping fails); a second signal exits 1 at once. */
export function stopOnSignals(service: Stoppable): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log("warn", "second signal: exiting at once", { signal });
      process.exit(1);
    }
    stopping = true;
    log("info", "stopping", { signal });
    service.stop().then(
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

/** What stops a service before it starts, by name: a bad setting, or a chain that is not as configured. */
export function isStartupError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof RpcUnreachableError || error instanceof NoContractError;
}

/** Runs `main`, and the service it resolves to (none: a one-off command that has finished) until a signal. Errors
 *  are written to stderr prefixed with `name`: a start-up error exits 2, anything else 1. */
export function runService(name: string, main: () => Promise<Stoppable | undefined>): void {
  // Through a promise, so that an error `main` throws before its first await is handled the same way.
  Promise.resolve()
    .then(main)
    .then(
      (service) => {
        if (service) stopOnSignals(service);
      },
      (error: unknown) => {
        if (isStartupError(error)) {
          const cause = error.cause instanceof Error ? ` (${error.cause.message.split("\n")[0]})` : "";
          console.error(`${name}: ${error.name}: ${error.message}${cause}`);
          process.exit(2);
        }
        console.error(`${name}: ${(error as Error).stack ?? String(error)}`);
        process.exit(1);
      },
    );
}
