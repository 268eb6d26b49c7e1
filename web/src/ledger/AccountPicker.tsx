// Lists the Ledger's accounts under the chosen derivation scheme with their balances on the current chain,
// and connects wagmi to the one picked. Reopens on the last choice.
import { useEffect, useState } from "react";
import { useTranslation } from "../i18n";
import { useBalance, useChainId, useConnect } from "wagmi";
import type { Address } from "viem";
import { formatAmount, shortAddress } from "../lib/format";
import { ledger } from "./connector";
import { derivationPath, derivationSchemes, type DerivationScheme } from "./derivation";
import { describeLedgerError, type LedgerMessage } from "./errors";
import { LedgerMessageText } from "./LedgerMessageText";
import { ledgerDevice } from "./loadLedger";
import {
  loadAccountChoice,
  loadClearSigningMetadata,
  loadTelemetry,
  saveAccountChoice,
  saveClearSigningMetadata,
  saveTelemetry,
} from "./preferences";

const ACCOUNTS_PER_PAGE = 5;

interface Row {
  index: number;
  path: string;
  address: Address;
}

function Balance({ address, chainId }: { address: Address; chainId: number }) {
  const { t } = useTranslation("ledger");
  const { data, isError } = useBalance({ address, chainId });
  if (isError) return <span className="muted">{t("picker.balanceUnknown")}</span>;
  return <span data-testid="ledger-balance">{data ? formatAmount(data.value, data) : "…"}</span>;
}

export default function AccountPicker({ onConnected, onCancel }: { onConnected: () => void; onCancel: () => void }) {
  const { t } = useTranslation("ledger");
  const remembered = loadAccountChoice();
  const [scheme, setScheme] = useState<DerivationScheme>(remembered?.scheme ?? "ledgerLive");
  const [page, setPage] = useState(remembered ? Math.floor(remembered.index / ACCOUNTS_PER_PAGE) : 0);
  const [selected, setSelected] = useState<number | undefined>(remembered?.index);
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState<LedgerMessage>();
  const [attempt, setAttempt] = useState(0);
  const [clearSigning, setClearSigning] = useState(loadClearSigningMetadata);
  const [telemetry, setTelemetry] = useState(loadTelemetry);
  const chainId = useChainId();
  const { connectAsync, isPending } = useConnect();

  useEffect(() => {
    let current = true;
    setRows(undefined);
    setError(undefined);
    (async () => {
      const device = await ledgerDevice();
      const found: Row[] = [];
      for (let i = 0; i < ACCOUNTS_PER_PAGE; i++) {
        const index = page * ACCOUNTS_PER_PAGE + i;
        const path = derivationPath(scheme, index);
        found.push({ index, path, address: await device.getAddress(path) });
        if (!current) return;
      }
      setRows(found);
    })().catch((failure: unknown) => {
      if (current) setError(describeLedgerError(failure));
    });
    return () => {
      current = false;
    };
  }, [scheme, page, attempt]);

  async function use() {
    if (selected === undefined) return;
    setError(undefined);
    saveAccountChoice({ scheme, index: selected });
    try {
      await connectAsync({ connector: ledger(), chainId });
      onConnected();
    } catch (failure) {
      setError(describeLedgerError(failure));
    }
  }

  return (
    <section aria-labelledby="ledger-picker-title" data-testid="ledger-picker">
      <h3 id="ledger-picker-title">{t("picker.title")}</h3>
      <label>
        {t("picker.scheme")}{" "}
        <select
          value={scheme}
          data-testid="ledger-scheme"
          onChange={(event) => {
            setScheme(event.target.value as DerivationScheme);
            setPage(0);
            setSelected(undefined);
          }}
        >
          {derivationSchemes.map((option) => (
            <option key={option} value={option}>
              {t(`picker.schemes.${option}`)}
            </option>
          ))}
        </select>
      </label>

      {!rows && !error && <p className="muted">{t("picker.reading")}</p>}
      {rows && (
        <ul className="wallet-list">
          {rows.map((row) => (
            <li key={row.path}>
              <label title={row.path}>
                <input
                  type="radio"
                  name="ledger-account"
                  checked={selected === row.index}
                  onChange={() => setSelected(row.index)}
                  data-testid={`ledger-account-${row.index}`}
                  data-address={row.address}
                />{" "}
                {t("picker.account", { number: row.index + 1 })}{" "}
                <span className="address">{shortAddress(row.address)}</span>{" "}
                <Balance address={row.address} chainId={chainId} />
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" data-testid="ledger-picker-error" data-error={error.key}>
          <LedgerMessageText message={error} />{" "}
          <button type="button" className="link" onClick={() => setAttempt((n) => n + 1)}>
            {t("picker.retry")}
          </button>
        </p>
      )}

      <div className="actions">
        <button type="button" disabled={page === 0 || !rows} onClick={() => setPage((p) => p - 1)}>
          {t("picker.previous")}
        </button>
        <button type="button" disabled={!rows} onClick={() => setPage((p) => p + 1)}>
          {t("picker.next")}
        </button>
      </div>

      <label>
        <input
          type="checkbox"
          checked={clearSigning}
          onChange={(event) => {
            setClearSigning(event.target.checked);
            saveClearSigningMetadata(event.target.checked);
          }}
        />{" "}
        {t("picker.clearSigning")}
      </label>
      <br />
      <label>
        <input
          type="checkbox"
          checked={telemetry}
          onChange={(event) => {
            setTelemetry(event.target.checked);
            saveTelemetry(event.target.checked);
          }}
        />{" "}
        {t("picker.telemetry")}
      </label>

      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={selected === undefined || !rows || isPending}
          onClick={() => void use()}
          data-testid="ledger-use"
        >
          {t("picker.use")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("picker.cancel")}
        </button>
      </div>
    </section>
  );
}
