/** Why a link to evidence or a proof is refused: the domain's checks and the API's schema say it alike. */
export const HTTP_URL_REASON = 'must be an http(s) URL';

/**
 * Why `value` is refused as a link, naming what is wrong with it where one character is: an http
 * link with a space in its file name read only "must be an http(s) URL" to a trial's integrator.
 */
export function httpUrlReason(value: unknown): string {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return HTTP_URL_REASON;
  const bad = /[\s\p{Cc}<>"{}|\\^`]/u.exec(value)?.[0];
  if (bad === undefined) return HTTP_URL_REASON;
  const named = bad === ' ' ? 'a space' : /\s|\p{Cc}/u.test(bad) ? 'white space or a control character' : `"${bad}"`;
  return `${HTTP_URL_REASON} without spaces, control characters or < > " { } | \\ ^ \`: it has ${named} (percent-encode it: a space is %20)`;
}

/**
 * What an evidence file is when its sender does not say. Customers attach photos and unboxing
 * videos to the same case; the console labels each link by its kind (照片, 视频), so a video must
 * not be filed as a photo. Read from the file name's extension in the URL's path (the query and
 * fragment ignored); anything else stays a photo, as it always was.
 */
const VIDEO_EXTENSIONS = new Set(['mp4', 'm4v', 'mov', 'webm', '3gp', 'avi', 'mkv']);

export function evidenceKindOf(url: string): 'video' | 'photo' {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? '';
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 && VIDEO_EXTENSIONS.has(name.slice(dot + 1).toLowerCase()) ? 'video' : 'photo';
}

/** One kind per URL: the sender's word for all of them when given, otherwise each file's own. */
export function evidenceKinds(urls: readonly string[], given?: string): string[] {
  return urls.map((url) => given ?? evidenceKindOf(url));
}
