import { useTranslation } from "react-i18next";

// Placeholder until the auditor page lands (issue #6).
export default function AuditPage() {
  const { t } = useTranslation();
  return <p>{t("comingSoon")}</p>;
}
