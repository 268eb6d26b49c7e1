// A service's main: start it, stop it on SIGTERM or SIGINT (from the first moment, start-up included), and turn what
// stops it before it starts into exit code 2 with the error's name and message (anything else: exit 1 with the
// stack). Start-up has a deadline, so a dependency that accepts connections but never answers is reported too.
// Signals are handled from the first moment only if nothing heavy loads before them: a service's main imports this
// file alone (`@earnest/service-kit/run`) and loads the rest in `load`; the error classes here load lazily too.
import { log } from "./log.js";

export type Stoppable = { stop(): Promise<void> };

/** How long a service may take to start before it gives up with a StartupTimeoutError. */
export const STARTUP_TIMEOUT_MS = 15_000;

/** Raised when start-up has not finished by its deadline (something it waits for never answers). */
export class StartupTimeoutError extends Error {
  override name = "StartupTimeoutError";
}

/** What stops a service before it starts, by class: a bad setting, or a chain (or an escrow) that is not as
 *  configured. */
export async function isStartupError(error: unknown): Promise<boolean> {
  const [{ ConfigError }, { MalformedResponseError, NoContractError, NotEarnestEscrowError, RpcUnreachableError }] =
    await Promise.all([import("./config.js"), import("@earnest/sdk")]);
  return (
    error instanceof ConfigError ||
    error instanceof RpcUnreachableError ||
    error instanceof NoContractError ||
    error instanceof NotEarnestEscrowError ||
    error instanceof MalformedResponseError ||
    error instanceof StartupTimeoutError
  );
}

export type RunOptions = { startupTimeoutMs?: number };

/** The service's start, once its code is loaded: resolves to the running service, or to nothing for a one-off
 *  command that has finished. */
export type Main = () => Promise<Stoppable | undefined>;

/** Loads the service's code (`load`), runs the main it gives, and the service that resolves to until a signal.
 *  Errors are written to stderr prefixed with `name`: a start-up error exits 2, anything else 1. SIGTERM or SIGINT
 *  stops the service and exits 0 (1 if stopping fails); during start-up it exits 0 at once; a second signal exits 1.
 *  The start-up deadline runs from when the code has loaded: it is about what the service waits for, and loading
 *  on a busy machine can take seconds. */
export function runService(
  name: string,
  load: () => Promise<Main>,
  { startupTimeoutMs = STARTUP_TIMEOUT_MS }: RunOptions = {},
): void {
  let service: Stoppable | undefined;
  let stopping = false;

  const fail = async (error: unknown) => {
    if (await isStartupError(error)) {
      const { name: kind, message, cause } = error as Error;
      const because = cause instanceof Error ? ` (${cause.message.split("\n")[0]})` : "";
      console.error(`${name}: ${kind}: ${message}${because}`);
      process.exit(2);
    }
    console.error(`${name}: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  };

  const onSignal = (signal: string) => {
    if (stopping) {
      log("warn", "second signal: exiting at once", { signal });
      process.exit(1);
    }
    stopping = true;
    if (!service) {
      // Nothing is under way that an exit could cut in half: the stores' writes are synchronous SQLite transactions,
      // and a signal handler only runs between them. What start-up did so far is redone on the next start.
      log("info", "stopped during start-up", { signal });
      process.exit(0);
    }
    log("info", "stopping", { signal });
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log("error", "stop failed", { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));

  let deadline: NodeJS.Timeout | undefined;
  // Through a promise, so that an error thrown before the first await is handled the same way.
  Promise.resolve()
    .then(load)
    .then((main) => {
      deadline = setTimeout(
        () => void fail(new StartupTimeoutError(`Start-up did not finish within ${startupTimeoutMs / 1000} s.`)),
        startupTimeoutMs,
      );
      return main();
    })
    .then(
      (started) => {
        clearTimeout(deadline);
        service = started;
      },
      (error: unknown) => {
        clearTimeout(deadline);
        void fail(error);
      },
    );
}
