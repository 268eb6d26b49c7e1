// One request to a relayer: a network failure or an answer that is not the protocol's is RelayerUnreachableError,
// a refusal is RelayerRefusedError, anything else is the parsed JSON body.
import { isRelayerRefusalCode, RelayerRefusedError, RelayerUnreachableError } from "./refusals.js";

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** `base` joined with `path`, whether or not `base` ends in a slash. */
export function relayerUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}

export async function relayerRequest(
  url: string,
  init: RequestInit,
  fetchFn: Fetch = (input, options) => fetch(input, options),
): Promise<unknown> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetchFn(url, init);
    body = await response.json();
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error;
    throw new RelayerUnreachableError({ url, cause: error });
  }
  if (response.ok) return body;
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || !isRelayerRefusalCode(error.code)) {
    throw new RelayerUnreachableError({ url, cause: new Error(`HTTP ${response.status} without a refusal`) });
  }
  const { code, message, ...details } = error;
  throw new RelayerRefusedError({
    code,
    status: response.status,
    message: typeof message === "string" ? message : code,
    details,
  });
}
