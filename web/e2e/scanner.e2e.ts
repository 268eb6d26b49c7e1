// The pass scanner on a browser without BarcodeDetector (Safari on iPhone and iPad, Firefox, Windows): the front
// desk's camera sees a customer's pass QR code and the pure-JS decoder, loaded only when scanning starts, reads it.
// Chromium's camera is a Y4M video of the pass link's QR code.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { walletContext } from "../../test/support/local-stack.js";
import { bookFirstSlot } from "./console-helpers.js";
import { connect, freshChainForEachTest, openApp, PATIENCE, stack, type Stack } from "./harness.js";
import { launchChromiumWithCamera, writeQrVideo } from "./scanner-camera.js";

/** Seeded offering 6: Harbour Yoga's sunset session (merchant #3); #10 is its seeded front desk. */
const SUNSET = 6;
const DESK = 10;

let s: Stack;
let dir: string;
let camera: Browser | undefined;

describe("scanner", () => {
  before(async () => {
    s = await stack();
    dir = mkdtempSync(path.join(tmpdir(), "earnest-camera-"));
  });
  after(async () => {
    await camera?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  freshChainForEachTest();

  it("reads a pass's QR code from the camera with the pure-JS decoder where BarcodeDetector is absent", async () => {
    const customer = await openApp(s, { account: 4, phone: true });
    await connect(customer.page);
    const { passLink, bookingId } = await bookFirstSlot(s, customer, SUNSET);
    await customer.close();

    const video = path.join(dir, "pass.y4m");
    writeQrVideo(video, passLink);
    camera = await launchChromiumWithCamera(video);
    const context = await walletContext(camera, {
      rpcUrl: s.node.url,
      account: DESK,
      viewport: { width: 360, height: 740 },
    });
    context.setDefaultTimeout(PATIENCE);
    await context.addInitScript(() => {
      delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
    });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${s.appUrl}#/merchant/desk`);
    await connect(page);
    await page.getByTestId("front-desk").waitFor();
    assert.equal(await page.evaluate(() => "BarcodeDetector" in window), false);
    const beforeScan = scripts.length;

    await page.getByTestId("pass-scan").click();
    // (The camera view may come and go within a frame or two: the result is what is waited for.)
    const result = page.locator('[data-testid="pass-result"][data-result="valid"]');
    const failed = page.getByTestId("camera-failed");
    await result.or(failed).waitFor();
    assert.equal(await failed.count(), 0, "the fake camera started");
    assert.equal(await result.getAttribute("data-booking-id"), String(bookingId));
    assert.equal(await page.getByTestId("pass-name").textContent(), "Ada Lovelace");
    assert.equal(await page.getByTestId("pass-input").inputValue(), passLink);
    // The camera stopped with the result, and the decoder came with the scan, not with the page.
    assert.equal(await page.getByTestId("scanner").count(), 0);
    assert.ok(
      scripts.slice(beforeScan).some((script) => /jsQR|jsqr/i.test(script)),
      `the decoder loaded when scanning started (${scripts.slice(beforeScan).join(", ")})`,
    );
    assert.ok(!scripts.slice(0, beforeScan).some((script) => /jsQR|jsqr/i.test(script)), "not before");
    await context.close();
  });
});
