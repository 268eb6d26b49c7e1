import { useTranslation } from "../i18n";
import { isGasless, type BookingPath, type GasChoice as Choice, type GaslessPath } from "./booking-path";

/** Who pays the network fee: the merchant's relayer (after `signatures` signatures in the wallet) or the customer,
 *  who can only choose to when their wallet holds ETH for it. */
export function GasChoice({
  gasless,
  signatures,
  path,
  enoughEth,
  onChoose,
}: {
  gasless: GaslessPath;
  signatures: number;
  path: BookingPath;
  enoughEth: boolean;
  onChoose: (choice: Choice) => void;
}) {
  const { t } = useTranslation("customer");
  return (
    <fieldset className="gas-choice" data-testid="gas-choice" data-gasless={gasless}>
      <legend>{t("book.gas.legend")}</legend>
      <label>
        <input
          type="radio"
          name="gas"
          checked={isGasless(path)}
          onChange={() => onChoose("gasless")}
          data-testid="path-gasless"
        />{" "}
        {t("book.gas.gasless", { count: signatures })}
      </label>
      <label>
        <input
          type="radio"
          name="gas"
          checked={!isGasless(path)}
          disabled={!enoughEth}
          onChange={() => onChoose("wallet")}
          data-testid="path-wallet"
        />{" "}
        {t("book.gas.wallet")}
      </label>
      {!enoughEth && <p className="muted">{t("book.gas.noEth")}</p>}
    </fieldset>
  );
}
