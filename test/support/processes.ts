// Child processes and throwaway Hardhat nodes for the benchmarks and tests. Every child leads its own process
// group and is killed with it (a Hardhat node started through its bin spawns a further process), also when the
// parent exits early.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

const children = new Set<ChildProcess>();

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

// Last resort when the parent stops before its own cleanup ran.
process.on("exit", () => {
  for (const child of children) killGroup(child, "SIGKILL");
});

/** For scripts: Ctrl-C exits through the "exit" handler above, so the children go too (they are in their own
 *  process groups, so the terminal's SIGINT does not reach them). */
export function exitOnInterrupt(): void {
  process.on("SIGINT", () => process.exit(130));
}

/** Spawns `command` as the leader of a new process group that is killed when this process exits. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { cwd: root, ...options, detached: true });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** A binary from the project's node_modules. */
export const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

/** Runs `command` to its end and rejects unless it exits 0. Quiet, its stderr goes into the error; otherwise its
 *  output shows as it comes. */
export function runToEnd(
  command: string,
  args: string[],
  { env = {}, quiet = true }: { env?: Record<string, string>; quiet?: boolean } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, {
      stdio: quiet ? ["ignore", "ignore", "pipe"] : ["ignore", "inherit", "inherit"],
      env: { ...process.env, ...env },
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited ${code}\n${stderr}`.trimEnd())),
    );
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it gives a value. The deadline only catches a hang: it leaves room for a busy machine, where
 *  a child process takes many times longer than on an idle one. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** POSTs JSON and parses the answer. Retries once when the node had closed the idle keep-alive connection that
 *  fetch reused ("other side closed"): the request never reached it. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const send = () =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
    response = await send();
  }
  return (await response.json()) as T;
}

export type HardhatNode = {
  url: string;
  rpc: <T>(method: string, params?: unknown[]) => Promise<T>;
  stop: () => Promise<void>;
};

/** A fresh Hardhat node on a free loopback port, answering once this resolves. */
export async function startHardhatNode(): Promise<HardhatNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnGroup(
    path.join(root, "node_modules", ".bin", "hardhat"),
    ["node", "--hostname", "127.0.0.1", "--port", String(port)],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const json = await postJson<{ result?: T; error?: { message: string } }>(url, {
      jsonrpc: "2.0",
      id: 1,
      method,
      params,
    });
    if (json.error) throw new Error(`${method}: ${json.error.message}`);
    return json.result as T;
  };
  await waitFor("the Hardhat node", () => rpc<string>("eth_chainId").catch(() => undefined));
  return {
    url,
    rpc,
    stop: async () => {
      killGroup(child, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      killGroup(child, "SIGKILL");
    },
  };
}
