// A fake camera for the scanner's browser test: Chromium plays a Y4M file as its camera, and this writes one that
// shows a QR code, the way a phone's screen held up to the desk's camera would.
import { writeFileSync } from "node:fs";
import { generate } from "lean-qr";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../test/support/local-stack.js";

const WIDTH = 640;
const HEIGHT = 480;
/** The quiet zone scanners need around the code, in modules. */
const QUIET = 4;
/** Video levels: black is 16 and white 235 in the limited range Chromium decodes Y4M with. */
const [DARK, LIGHT] = [16, 235];

/** Writes `frames` identical frames (4:2:0, grey: U and V at 128) of `text`'s QR code, centred, as a Y4M file. */
export function writeQrVideo(file: string, text: string, frames = 30): void {
  const code = generate(text);
  const modules = code.size + 2 * QUIET;
  const scale = Math.floor((Math.min(WIDTH, HEIGHT) * 0.9) / modules);
  if (scale < 2) throw new Error(`A ${code.size}-module code does not fit a ${WIDTH}×${HEIGHT} frame`);
  const left = Math.floor((WIDTH - modules * scale) / 2);
  const top = Math.floor((HEIGHT - modules * scale) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, LIGHT);
  for (let y = 0; y < modules * scale; y++) {
    for (let x = 0; x < modules * scale; x++) {
      if (code.get(Math.floor(x / scale) - QUIET, Math.floor(y / scale) - QUIET)) {
        luma[(top + y) * WIDTH + left + x] = DARK;
      }
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}

/** Headless Chromium whose camera plays `video` and which grants camera access without asking. */
export function launchChromiumWithCamera(video: string): Promise<Browser> {
  return launchChromium([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${video}`,
  ]);
}
