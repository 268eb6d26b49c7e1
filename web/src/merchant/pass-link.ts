// What a merchant pastes or scans: the pass link (…#/pass/<token>), or the bare token.

/** Whether this browser can scan QR codes: a camera is all it takes (the decoder is the browser's own
 *  BarcodeDetector or jsQR, see front-desk-decoder.ts). Browsers give cameras to secure pages only (https, or
 *  localhost); without one the desk pastes. */
export function canScan(): boolean {
  return typeof navigator !== "undefined" && typeof navigator.mediaDevices?.getUserMedia === "function";
}

export function passTokenFrom(text: string): string {
  const trimmed = text.trim();
  const match = /\/pass\/([A-Za-z0-9_-]+)/.exec(trimmed);
  return match ? match[1] : trimmed;
}
