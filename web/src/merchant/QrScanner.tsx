// Reads a QR code from the camera: the browser's BarcodeDetector where it has one, else jsQR on frames drawn
// through a canvas (see front-desk-decoder.ts). Loaded only when the desk asks to scan; the camera stops on a
// result, on an error and when the scanner closes.
import { useEffect, useRef } from "react";
import { useTranslation } from "../i18n";
import { chooseDecoder } from "./front-desk-decoder";

/** How often a frame is read. */
const FRAME_INTERVAL_MS = 200;

export default function QrScanner({ onResult, onError }: { onResult: (text: string) => void; onError: () => void }) {
  const { t } = useTranslation("merchant");
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    void (async () => {
      try {
        // The decoder loads while the camera starts.
        const [decoder, media] = await Promise.all([
          chooseDecoder(),
          navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }),
        ]);
        stream = media;
        if (stopped || !video.current) return stop();
        video.current.srcObject = media;
        await video.current.play();
        video.current.dataset.decoder = decoder.kind;
        // One frame at a time: the next is read only when the last is done, however slow the device.
        const look = async () => {
          if (stopped || !video.current) return;
          const text = await decoder.decode(video.current).catch(() => undefined);
          if (stopped) return;
          if (text) {
            stop();
            onResult(text);
          } else timer = setTimeout(() => void look(), FRAME_INTERVAL_MS);
        };
        void look();
      } catch {
        if (stopped) return;
        stop();
        onError();
      }
    })();
    return stop;
  }, [onResult, onError]);

  return (
    <video ref={video} className="scanner" data-testid="scanner" muted playsInline aria-label={t("pass.camera")} />
  );
}
