// Listening on the service's port: a port that cannot be bound stops the service at start.
import type { Server } from "node:http";
import { PortUnavailableError } from "./config.js";

/** Listens on `host:port`; a failure is a PortUnavailableError naming the address (and `purpose`, if given). */
export async function listen(server: Server, host: string, port: number, purpose?: string): Promise<void> {
  const what = purpose === undefined ? "" : ` for ${purpose}`;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new PortUnavailableError(`Cannot listen on ${host}:${port}${what}: ${error.code}.`)),
    );
    server.listen(port, host, () => resolve());
  });
}
