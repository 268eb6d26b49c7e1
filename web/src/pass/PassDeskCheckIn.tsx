// A pass link opened by the merchant or its check-in staff: the front desk's own check-in (one component, see
// merchant/front-desk-check-in.tsx), loaded with the console's messages only for them.
import type { BookingPass, BookingView, OfferingInfo } from "@earnest/sdk";
import { useTranslation } from "../i18n";
import { CheckInAction } from "../merchant/front-desk-check-in";
import "../merchant/front-desk.css";

export default function PassDeskCheckIn(props: {
  pass: BookingPass;
  booking: BookingView;
  offering: OfferingInfo;
  now: number;
  venueZone: string | undefined;
}) {
  const { t } = useTranslation("merchant");
  return (
    <section className="card pass-desk" data-testid="pass-desk">
      <h2>{t("pass.deskTitle")}</h2>
      <CheckInAction {...props} />
    </section>
  );
}
