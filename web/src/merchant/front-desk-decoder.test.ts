import { generate } from "lean-qr";
import { describe, expect, it } from "vitest";
import { chooseDecoder, decodePixels } from "./front-desk-decoder";

const LINK = "http://127.0.0.1:4173/#/pass/eyJ2IjoxLCJjIjozMTMzNywiYiI6IjQyIn0";

/** The QR code of `text` as RGBA pixels, `scale` pixels a module, with the 4-module quiet zone, dark on light
 *  (or the other way round when `inverted`, as a phone in dark mode may show it). */
function qrPixels(text: string, scale = 4, inverted = false) {
  const code = generate(text);
  const side = (code.size + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const dark = code.get(Math.floor(x / scale) - 4, Math.floor(y / scale) - 4) !== inverted;
      pixels.fill(dark ? 0 : 255, (y * side + x) * 4, (y * side + x) * 4 + 3);
      pixels[(y * side + x) * 4 + 3] = 255;
    }
  }
  return { pixels, side };
}

describe("the scanner's decoder", () => {
  it("uses jsQR where the browser has no BarcodeDetector", async () => {
    expect((await chooseDecoder({})).kind).toBe("jsqr");
  });

  it("uses jsQR where the BarcodeDetector reads no QR codes", async () => {
    class BarcodeDetector {
      static getSupportedFormats = () => Promise.resolve(["ean_13"]);
    }
    expect((await chooseDecoder({ BarcodeDetector })).kind).toBe("jsqr");
  });

  it("uses the native BarcodeDetector where it reads QR codes", async () => {
    const asked: string[][] = [];
    class BarcodeDetector {
      static getSupportedFormats = () => Promise.resolve(["qr_code", "ean_13"]);
      constructor({ formats }: { formats: string[] }) {
        asked.push(formats);
      }
      detect = () => Promise.resolve([{ rawValue: LINK }]);
    }
    const decoder = await chooseDecoder({ BarcodeDetector });
    expect(decoder.kind).toBe("native");
    expect(asked).toEqual([["qr_code"]]);
    expect(await decoder.decode({} as HTMLVideoElement)).toBe(LINK);
  });

  it("reads a pass link's QR code with jsQR, dark on light and inverted", async () => {
    const normal = qrPixels(LINK);
    expect(await decodePixels(normal.pixels, normal.side, normal.side)).toBe(LINK);
    const inverted = qrPixels(LINK, 3, true);
    expect(await decodePixels(inverted.pixels, inverted.side, inverted.side)).toBe(LINK);
  });

  it("finds nothing in a blank frame", async () => {
    expect(await decodePixels(new Uint8ClampedArray(64 * 64 * 4).fill(255), 64, 64)).toBeUndefined();
  });
});
