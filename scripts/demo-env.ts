/**
 * Where the demo scripts find the platform: API_URL and the *_KEY variables when set, else what a
 * local `npm start` uses — http://127.0.0.1:$PORT (3000) and the development keys it keeps in
 * $DATA_DIR/dev-keys.json (.data) — so `npm run demo:return` works beside `npm start` as is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

let devKeys: Record<string, string> | undefined;
function localDevKeys(): Record<string, string> {
  if (!devKeys) {
    try {
      devKeys = JSON.parse(readFileSync(path.join(process.env.DATA_DIR ?? '.data', 'dev-keys.json'), 'utf8')) as Record<string, string>;
    } catch {
      devKeys = {};
    }
  }
  return devKeys;
}

export const apiUrl = () => (process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');

/** `ROLE_KEY` from the environment, else the local development key of that role. */
export function keyOf(role: 'STOREFRONT' | 'WAREHOUSE' | 'AGENT' | 'SUPERVISOR' | 'ADMIN', required = true): string {
  const key = process.env[`${role}_KEY`] || localDevKeys()[role];
  if (!key && required) throw new Error(`${role}_KEY is not set and no development key was found in ${path.join(process.env.DATA_DIR ?? '.data', 'dev-keys.json')} (start the platform with npm start, or set API_URL and the keys it printed)`);
  return key ?? '';
}

/** fetch, with a failure to connect saying which API it tried and how to point the scripts elsewhere. */
export async function reach(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    throw new Error(`cannot reach the API at ${new URL(url).origin} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}): is npm start running? Beside a platform on another port set PORT, or API_URL`, { cause: err });
  }
}
