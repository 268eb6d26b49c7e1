import { useTranslation } from "../i18n";
import { BlockRangeError, NoContractError, RpcRequestError, RpcUnreachableError } from "@earnest/sdk";
import type { AuditInput } from "./validate";

type Kind = "unreachable" | "noContract" | "range" | "request" | "unknown";

function kindOf(error: unknown): Kind {
  if (error instanceof RpcUnreachableError) return "unreachable";
  if (error instanceof NoContractError) return "noContract";
  if (error instanceof BlockRangeError) return "range";
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
