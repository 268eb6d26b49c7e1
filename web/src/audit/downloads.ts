/**
 * Saves `text` as a file through a Blob URL. The URL is made on click rather than kept for the page's life, and
 * revoked a little later: revoking at once can cancel the download before the browser has read the blob.
 */
export function saveText(text: string, type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
