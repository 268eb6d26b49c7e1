import { useTranslation } from "../i18n";
import {
  BlockRangeError,
  MalformedResponseError,
  NoContractError,
  NotEarnestEscrowError,
  RpcRequestError,
  RpcUnreachableError,
} from "@earnest/sdk";
import type { AuditInput } from "./validate";

type Kind = "unreachable" | "noContract" | "notEscrow" | "range" | "malformed" | "request" | "unknown";

function kindOf(error: unknown): Kind {
  if (error instanceof RpcUnreachableError) return "unreachable";
  if (error instanceof NoContractError) return "noContract";
  if (error instanceof NotEarnestEscrowError) return "notEscrow";
  if (error instanceof BlockRangeError) return "range";
  if (error instanceof MalformedResponseError) return "malformed";
  if (error instanceof RpcRequestError) return "request";
  return "unknown";
}

/** Why the audit could not run, in the reader's language, with what to do; the sdk's own words as details. */
export function AuditError({ error, input }: { error: unknown; input: AuditInput }) {
  const { t } = useTranslation("audit");
  const kind = kindOf(error);
  return (
    <div className="banner warning" role="alert" data-testid="audit-error" data-kind={kind}>
      <strong>{t("error.title")}</strong>
      <p>{t(`error.${kind}`, { url: input.rpcUrl, address: input.escrow })}</p>
      <p className="muted">{t("error.detail", { message: error instanceof Error ? error.message : String(error) })}</p>
    </div>
  );
}
