import { generate } from "lean-qr";
import { toSvgPath } from "lean-qr/extras/svg";
import { useMemo } from "react";

/** A QR code as inline SVG (scales crisply, prints well, no canvas). */
export function QrCode({ text, label, size = 240 }: { text: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const code = generate(text);
    return { path: toSvgPath(code), modules: code.size };
  }, [text]);
  const pad = 4; // the quiet zone scanners need
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`${-pad} ${-pad} ${modules + 2 * pad} ${modules + 2 * pad}`}
      shapeRendering="crispEdges"
    >
      <rect x={-pad} y={-pad} width={modules + 2 * pad} height={modules + 2 * pad} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
