import { useMemo } from "react";
import { timeZoneNames, utcOffsetText } from "../lib/time-zone";

/** The zones as the list offers them, by region ("Europe · Rome (UTC+01:00)"), with today's offsets: worked out
 *  once, when the builder first shows the list. */
function zoneOptions(now: number): { zone: string; label: string }[] {
  return timeZoneNames().map((zone) => {
    const [region, ...place] = zone.split("/");
    if (place.length === 0) return { zone, label: zone };
    return { zone, label: `${region} · ${place.join(" / ").replaceAll("_", " ")} (${utcOffsetText(zone, now)})` };
  });
}

/** The venue's IANA time zone: typed with the browser's own search over the list of zones it knows (a datalist),
 *  checked by the form (policy-form `knownTimeZone`), so free text never becomes a venue's zone. */
export function TimeZoneInput({
  value,
  onChange,
  invalid,
  describedBy,
}: {
  value: string;
  onChange: (zone: string) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  const options = useMemo(() => zoneOptions(Math.floor(Date.now() / 1000)), []);
  return (
    <>
      <input
        data-testid="offering-time-zone"
        list="time-zones"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id="time-zones" data-testid="time-zone-options">
        {options.map(({ zone, label }) => (
          <option key={zone} value={zone} label={label} />
        ))}
      </datalist>
    </>
  );
}
