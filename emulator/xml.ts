/**
 * The service's XML answers, for legacy (signature v1) requests that ask for XML or name no
 * Format (its legacy default): `<?xml ...?><{Action}Response>` (or `<Error>`) with one element per
 * JSON key, an array written as its key repeated (`<Items><Backup>...</Backup><Backup>...`), as
 * in the doc's XML samples (`<Items><BackupJob>`).
 */
export function toXml(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${element(root, body)}`;
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join("");
  if (value !== null && typeof value === "object") {
    const children = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join("");
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${text(value === undefined || value === null ? "" : String(value))}</${name}>`;
}

/** Escapes markup; characters XML 1.0 cannot carry at all become U+FFFD. */
function text(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}
