// Plain SVG charts: a weekday × hour heat map and a bar chart. No chart library; sizes are in viewBox units, so
// they scale with the page. Each chart prints its values (on the bars, in the busy cells), so nothing is told by
// colour alone, and its accessible name (`label`, which the caller words with the values) reads them out.

/** Seats per weekday (rows, Monday first) and hour (columns); darker is busier, and every busy cell shows its count. */
export function HeatMap({ cells, dayLabels, label }: { cells: number[][]; dayLabels: string[]; label: string }) {
  const max = Math.max(1, ...cells.flat());
  const size = 14;
  const left = 36;
  const top = 14;
  const opacity = (value: number) => (value === 0 ? 0.05 : 0.15 + (0.85 * value) / max);
  return (
    <svg
      className="chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${left + 24 * size} ${top + 7 * size}`}
      data-testid="heat-map"
    >
      {[0, 6, 12, 18].map((hour) => (
        <text key={hour} x={left + hour * size} y={10} fontSize={9}>
          {hour}
        </text>
      ))}
      {cells.map((hours, day) => (
        <g key={day}>
          <text x={0} y={top + day * size + 10} fontSize={9}>
            {dayLabels[day]}
          </text>
          {hours.map((value, hour) => (
            <rect
              key={hour}
              x={left + hour * size}
              y={top + day * size}
              width={size - 1}
              height={size - 1}
              fill="var(--accent)"
              fillOpacity={opacity(value)}
              data-value={value}
            >
              <title>{`${dayLabels[day]} ${String(hour).padStart(2, "0")}:00 — ${value}`}</title>
            </rect>
          ))}
          {hours.map(
            (value, hour) =>
              value > 0 && (
                <text
                  key={`v${hour}`}
                  className={opacity(value) > 0.55 ? "value inverse" : "value"}
                  data-testid="heat-value"
                  x={left + hour * size + (size - 1) / 2}
                  y={top + day * size + 9.5}
                  fontSize={value >= 100 ? 5 : 7}
                  textAnchor="middle"
                >
                  {value}
                </text>
              ),
          )}
        </g>
      ))}
    </svg>
  );
}

/** `valueLabel` is what the bar prints above itself (its value, formatted); `title` its tooltip. */
export type Bar = { label: string; value: number; valueLabel?: string; title: string };

/** Vertical bars with their labels underneath and their values above. */
export function BarChart({ bars, label, testId }: { bars: Bar[]; label: string; testId: string }) {
  const max = Math.max(0, ...bars.map((b) => b.value)) || 1;
  // Room for the longest printed value: about 5 units a character at font size 8.
  const longest = Math.max(
    0,
    ...bars.map((b) => (b.valueLabel ?? String(b.value)).length, ...bars.map((b) => b.label.length)),
  );
  const width = Math.max(40, longest * 5 + 6);
  const height = 100;
  const top = 12;
  return (
    <svg
      className="chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${Math.max(1, bars.length) * width} ${top + height + 24}`}
      data-testid={testId}
    >
      {bars.map((bar, i) => {
        const h = (bar.value / max) * height;
        return (
          <g key={i}>
            <rect
              x={i * width + 4}
              y={top + height - h}
              width={width - 8}
              height={h}
              fill="var(--accent)"
              data-value={bar.value}
            >
              <title>{bar.title}</title>
            </rect>
            <text
              className="value"
              data-testid="bar-value"
              x={i * width + width / 2}
              y={top + height - h - 3}
              fontSize={8}
              textAnchor="middle"
            >
              {bar.valueLabel ?? String(bar.value)}
            </text>
            <text x={i * width + width / 2} y={top + height + 14} fontSize={8} textAnchor="middle">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
