// Reading a QR code from camera frames on any current phone or tablet: the browser's own BarcodeDetector where it
// has one that reads QR codes (Chrome on Android, ChromeOS, macOS), else jsQR, a pure-JS decoder, fetched only when
// scanning starts (Safari on iPhone and iPad, Firefox, Windows).

/** Reads the code in the video's current frame, if any. */
export type FrameDecoder = { kind: "native" | "jsqr"; decode(video: HTMLVideoElement): Promise<string | undefined> };

type Detector = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
type DetectorClass = {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats?(): Promise<string[]>;
};

/** The native detector when `scope` has one that reads QR codes, else undefined. */
export async function nativeDetector(scope: object): Promise<Detector | undefined> {
  const Barcode = (scope as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (typeof Barcode !== "function") return undefined;
  // Some platforms ship the class without a QR reader in it.
  const formats = await Barcode.getSupportedFormats?.().catch((): string[] => []);
  if (formats && !formats.includes("qr_code")) return undefined;
  try {
    return new Barcode({ formats: ["qr_code"] });
  } catch {
    return undefined;
  }
}

/** Decodes RGBA pixels with jsQR (loaded on first use). Pass codes are dark on light, but a phone screen's dark
 *  mode may invert them: both are tried. */
export async function decodePixels(pixels: Uint8ClampedArray, width: number, height: number) {
  const { default: jsQR } = await import("jsqr");
  return jsQR(pixels, width, height)?.data || undefined;
}

/** Frames are scaled down to this many pixels on their longer side before jsQR reads them: enough for a pass held
 *  up to the camera, and a phone keeps up at a few frames a second. */
const MAX_SIDE = 720;

function jsqrDecoder(): FrameDecoder {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return {
    kind: "jsqr",
    async decode(video) {
      if (!context || video.videoWidth === 0) return undefined;
      const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      return decodePixels(data, width, height);
    },
  };
}

/** The best decoder this browser has. */
export async function chooseDecoder(scope: object = window): Promise<FrameDecoder> {
  const native = await nativeDetector(scope);
  if (!native) return jsqrDecoder();
  return {
    kind: "native",
    decode: async (video) => (await native.detect(video).catch(() => []))[0]?.rawValue,
  };
}
