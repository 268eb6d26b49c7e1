// Plain SVG charts: a weekday × hour heat map and a bar chart. No chart library; sizes are in viewBox units, so
// they scale with the page.

/** Seats per weekday (rows, Monday first) and hour (columns); darker is busier. */
export function HeatMap({ cells, dayLabels, label }: { cells: number[][]; dayLabels: string[]; label: string }) {
  const max = Math.max(1, ...cells.flat());
  const size = 14;
  const left = 36;
  const top = 14;
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
              fillOpacity={value === 0 ? 0.05 : 0.15 + (0.85 * value) / max}
              data-value={value}
            >
              <title>{`${dayLabels[day]} ${String(hour).padStart(2, "0")}:00 — ${value}`}</title>
            </rect>
          ))}
        </g>
      ))}
    </svg>
  );
}

export type Bar = { label: string; value: number; title: string };

/** Vertical bars with their labels underneath. */
export function BarChart({ bars, label, testId }: { bars: Bar[]; label: string; testId: string }) {
  const max = Math.max(0, ...bars.map((b) => b.value)) || 1;
  const width = 40;
  const height = 100;
  return (
    <svg
      className="chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${Math.max(1, bars.length) * width} ${height + 24}`}
      data-testid={testId}
    >
      {bars.map((bar, i) => {
        const h = (bar.value / max) * height;
        return (
          <g key={i}>
            <rect
              x={i * width + 4}
              y={height - h}
              width={width - 8}
              height={h}
              fill="var(--accent)"
              data-value={bar.value}
            >
              <title>{bar.title}</title>
            </rect>
            <text x={i * width + width / 2} y={height + 14} fontSize={8} textAnchor="middle">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
