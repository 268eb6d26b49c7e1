import { useTranslation } from "react-i18next";

// Placeholder until the merchant console lands (issue #5).
export default function MerchantPage() {
  const { t } = useTranslation();
  return <p>{t("comingSoon")}</p>;
}
