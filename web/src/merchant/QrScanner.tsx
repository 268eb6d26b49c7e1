// Reads a QR code from the camera with the browser's own BarcodeDetector: no library, nothing fetched. Loaded only
// when the merchant asks to scan.
import { useEffect, useRef } from "react";
import { useTranslation } from "../i18n";

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
type DetectorConstructor = new (options: { formats: string[] }) => Detector;

export default function QrScanner({ onResult, onError }: { onResult: (text: string) => void; onError: () => void }) {
  const { t } = useTranslation("merchant");
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const Barcode = (window as unknown as { BarcodeDetector: DetectorConstructor }).BarcodeDetector;
    const detector = new Barcode({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        const look = async () => {
          const codes = video.current ? await detector.detect(video.current).catch(() => []) : [];
          if (codes[0] && !stopped) {
            stopped = true;
            onResult(codes[0].rawValue);
          }
        };
        timer = setInterval(() => void look(), 250);
      })
      .catch(onError);
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onResult, onError]);

  return <video ref={video} className="scanner" muted playsInline aria-label={t("pass.camera")} />;
}
