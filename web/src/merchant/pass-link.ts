// What a merchant pastes or scans: the pass link (…#/pass/<token>), or the bare token.

/** Whether this browser can scan QR codes itself (BarcodeDetector and a camera); without it the merchant pastes. */
export function canScan(): boolean {
  return typeof window !== "undefined" && "BarcodeDetector" in window && !!navigator.mediaDevices?.getUserMedia;
}

export function passTokenFrom(text: string): string {
  const trimmed = text.trim();
  const match = /\/pass\/([A-Za-z0-9_-]+)/.exec(trimmed);
  return match ? match[1] : trimmed;
}
