/**
 * Where signing in returns to: the console page first asked for, carried as `?next=` on the
 * sign-in page. Only a path inside the console is taken (it is put after the console's base), so
 * a crafted sign-in link cannot send a person, with their key just entered, to another site.
 */
const HERE = 'http://console.invalid';

/** `next` as a path inside the console (`/cases/c-1?x=1`), or null when it is not one. */
export function returnPath(next: string | null | undefined): string | null {
  // `//host` and `/\host` are other sites to a browser; anything not starting with `/` is a URL or a scheme.
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return null;
  }
  if (url.origin !== HERE) return null;
  // Back to the sign-in page would be a loop.
  if (url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/')) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's address that returns to `path` (inside the console) afterwards. */
export const signInReturningTo = (path: string) => (returnPath(path) && path !== '/' ? `/sign-in?next=${encodeURIComponent(path)}` : '/sign-in');
