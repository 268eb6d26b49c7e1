// The RPC endpoint a deployment sets for each public chain. viem's built-in endpoints are public, rate-limited
// ones, unfit for a venue's evening rush; `VITE_RPC_URL_<chain id>` (VITE_RPC_URL_8453 for Base, say) replaces one.

const VARIABLE = /^VITE_RPC_URL_(\d+)$/;

/** A `VITE_RPC_URL_<chain id>` that is not an http(s) or ws(s) URL: the build stops on it, naming the variable. */
export class InvalidRpcUrlError extends Error {
  override name = "InvalidRpcUrlError";
  constructor(
    readonly variable: string,
    readonly value: string,
  ) {
    super(`${variable} must be an http(s) or ws(s) URL, got ${JSON.stringify(value)}`);
  }
}

/** The endpoints set in `env` (Vite's `import.meta.env`, or `loadEnv`'s result at build time), by chain id. */
export function deploymentRpcUrls(env: Readonly<Record<string, unknown>>): Map<number, string> {
  const urls = new Map<number, string>();
  for (const [variable, value] of Object.entries(env)) {
    const chainId = VARIABLE.exec(variable)?.[1];
    if (chainId === undefined || value === undefined || value === "") continue;
    if (typeof value !== "string") throw new InvalidRpcUrlError(variable, JSON.stringify(value));
    if (!isRpcUrl(value)) throw new InvalidRpcUrlError(variable, value);
    urls.set(Number(chainId), value);
  }
  return urls;
}

function isRpcUrl(value: string): boolean {
  try {
    return ["http:", "https:", "ws:", "wss:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
