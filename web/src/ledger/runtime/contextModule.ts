// What the Ethereum signer may learn from Ledger's servers. Clear-signing metadata (token names, contract
// descriptors) makes the device show readable fields, but it must never hold up or break a signature, and
// it must not leave the browser for local chains or when the user said no.
import {
  ClearSignContextType,
  ContextModuleBuilder,
  ContextModuleChainID,
  type ClearSignContext,
  type ContextModule,
  type TypedDataClearSignContext,
} from "@ledgerhq/context-module";

/** Longest we wait for Ledger's servers before signing without their metadata. */
export const METADATA_TIMEOUT_MS = 4000;

const unavailable = (why: string) => new Error(`clear-signing metadata unavailable: ${why}`);

/** Answers "no metadata" to everything and reports nothing: no request leaves the browser. */
export const privateContextModule: ContextModule = {
  getContexts: () => Promise.resolve([]),
  getFieldContext: () => Promise.resolve({ type: ClearSignContextType.ERROR, error: unavailable("private mode") }),
  getTypedDataFilters: () => Promise.resolve({ type: "error", error: unavailable("private mode") }),
  report: () => Promise.resolve(),
  signReport: () => Promise.resolve(),
};

function withTimeout<T>(work: Promise<T>, fallback: () => T, timeoutMs: number): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback()), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback());
      },
    );
  });
}

/**
 * Ledger's metadata, bounded in time and never throwing; its post-signature telemetry (`report`,
 * `signReport`) only when asked for.
 */
export function boundedContextModule(
  remote: ContextModule,
  { telemetry, timeoutMs = METADATA_TIMEOUT_MS }: { telemetry: () => boolean; timeoutMs?: number },
): ContextModule {
  return {
    getContexts: (input, expectedTypes) =>
      withTimeout<ClearSignContext[]>(remote.getContexts(input, expectedTypes), () => [], timeoutMs),
    getFieldContext: (field, expectedType) =>
      withTimeout<ClearSignContext>(
        remote.getFieldContext(field, expectedType),
        () => ({ type: ClearSignContextType.ERROR, error: unavailable("no answer") }),
        timeoutMs,
      ),
    getTypedDataFilters: (typedData) =>
      withTimeout<TypedDataClearSignContext>(
        remote.getTypedDataFilters(typedData),
        () => ({ type: "error", error: unavailable("no answer") }),
        timeoutMs,
      ),
    report: (params) =>
      telemetry() ? withTimeout(remote.report(params), () => undefined, timeoutMs) : Promise.resolve(),
    signReport: (params) =>
      telemetry() && remote.signReport
        ? withTimeout(remote.signReport(params), () => undefined, timeoutMs)
        : Promise.resolve(),
  };
}

export function ledgerMetadataContextModule(telemetry: () => boolean): ContextModule {
  const remote = new ContextModuleBuilder({}).setChain(ContextModuleChainID.Ethereum).build();
  return boundedContextModule(remote, { telemetry });
}
