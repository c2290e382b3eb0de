/**
 * Saves a file the API answers (CSV, XLSX) the way a link would, but with the key in the
 * Authorization header: fetched as a blob and saved through an object URL, so the key never goes
 * into a URL. Answers the file name the API gave (content-disposition), or `fallbackName`.
 */
import { authHeaders, parseProblem } from './api';

export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const res = await fetch(path, { headers: authHeaders(), credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw await parseProblem(res);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Let the URL go once the browser has surely started saving the file.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}
