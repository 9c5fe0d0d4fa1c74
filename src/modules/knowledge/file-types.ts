/** What an uploaded file really is, judged from its first bytes (and the name only for text and office files). */
type DetectedType = { mime: string; kind: "image" | "video" | "file"; maxBytes: number };

const MB = 1024 * 1024;
const image = (mime: string): DetectedType => ({ mime, kind: "image", maxBytes: 10 * MB });
const video = (mime: string): DetectedType => ({ mime, kind: "video", maxBytes: 100 * MB });
const file = (mime: string): DetectedType => ({ mime, kind: "file", maxBytes: 25 * MB });

const OFFICE: Record<string, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  zip: "application/zip",
};
const TEXT: Record<string, string> = { txt: "text/plain", csv: "text/csv", md: "text/markdown" };

function startsWith(head: Uint8Array, bytes: number[], offset = 0): boolean {
  return bytes.every((b, i) => head[offset + i] === b);
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/** Detects an allowed type from the first bytes and the file name; null when the type is not allowed. */
export function detectFileType(head: Uint8Array, fileName: string): DetectedType | null {
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image("image/png");
  if (startsWith(head, [0xff, 0xd8, 0xff])) return image("image/jpeg");
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return image("image/gif");
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8))
    return image("image/webp");
  if (startsWith(head, [0x66, 0x74, 0x79, 0x70], 4)) return video("video/mp4");
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return video("video/webm");
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return file("application/pdf");
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) && OFFICE[ext]) return file(OFFICE[ext]);
  if (TEXT[ext] && looksLikeText(head)) return file(`${TEXT[ext]}; charset=utf-8`);
  return null;
}
