// The reviews' views as the customer pages place them: loaded on demand with their messages, so the offerings
// page's first load carries neither the reviews' log reading and event decoding (about 7 kB gzip) nor their words.
// Nothing shows on a chain without a reviews contract.
import { lazy, Suspense, type ComponentProps } from "react";
import { withMessages } from "../i18n";
import { useReadChain } from "../lib/chain";

/** Whether this visit has loaded the reviews' code (an offering's page did): then the offerings list shows the
 *  ratings too, at no cost. The list never loads it itself, which would take its first load past its budget. */
let reviewsLoaded = false;
const loaded = <M,>(module: Promise<M>) =>
  withMessages(module, "reviews").then((m) => {
    reviewsLoaded = true;
    return m;
  });

const Rating = lazy(() => loaded(import("./RatingSummary")).then((m) => ({ default: m.OfferingRating })));
const Reviews = lazy(() => loaded(import("./OfferingReviews")).then((m) => ({ default: m.OfferingReviews })));

/** The offering's average rating and review count, once loaded; nothing without reviews. `ifLoaded`: only when
 *  the visit has loaded the reviews' code already (the offerings list). */
export function LazyOfferingRating({
  ifLoaded = false,
  ...props
}: ComponentProps<typeof Rating> & { ifLoaded?: boolean }) {
  const { deployment } = useReadChain();
  if (!deployment?.reviews || (ifLoaded && !reviewsLoaded)) return null;
  return (
    <Suspense fallback={null}>
      <Rating {...props} />
    </Suspense>
  );
}

/** The offering's reviews, once loaded. */
export function LazyOfferingReviews(props: ComponentProps<typeof Reviews>) {
  const { deployment } = useReadChain();
  if (!deployment?.reviews) return null;
  return (
    <Suspense fallback={null}>
      <Reviews {...props} />
    </Suspense>
  );
}
