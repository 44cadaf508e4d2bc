// Downloads made in the renderer: a Blob and an <a download>, nothing written by the core.

export function downloadBlob(data: BlobPart, filename: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 200) || 'download';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Decodes base64 (tolerating whitespace); throws on anything else. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const clean = base64.replace(/\s+/g, '');
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const isBase64 = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && /^[A-Za-z0-9+/=\s]+$/.test(value);

/** Only plain image/audio media types become data URLs (no parameters, no odd characters). */
export function safeMediaUrl(kind: 'image' | 'audio', mimeType: unknown, data: unknown): string | undefined {
  if (typeof mimeType !== 'string' || !new RegExp(`^${kind}/[a-z0-9.+-]+$`, 'i').test(mimeType)) return undefined;
  if (!isBase64(data)) return undefined;
  return `data:${mimeType.toLowerCase()};base64,${data.replace(/\s+/g, '')}`;
}

export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
