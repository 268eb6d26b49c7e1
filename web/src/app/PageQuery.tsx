import { useEffect, useRef } from "react";
import { useLocation } from "wouter";

/** A page keeps its state in the URL's query (the offering's date and slot, My bookings' filter), which hash routing
 *  leaves in place when the route changes: dropped on the way to another page, so a pass link carries no stale
 *  `?date=` and another offering does not open on the last one's day. Within a page, and on Back, it stays. */
export function PageQuery() {
  const [path] = useLocation();
  const shown = useRef(path);
  useEffect(() => {
    if (shown.current === path) return;
    shown.current = path;
    if (location.search !== "") history.replaceState(history.state, "", location.pathname + location.hash);
  }, [path]);
  return null;
}
