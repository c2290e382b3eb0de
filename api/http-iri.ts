/**
 * The rule an evidence or proof link is taken by: an http or https IRI (RFC 3987), so a link to
 * https://img.shop.example.cn/售后/开箱.jpg is taken as a storefront hands it over. Ajv's `uri`
 * format is ASCII only and refused such links unless the sender percent-encoded them first.
 * Still refused: other schemes (a `javascript:` or `data:` link in the console would be script or
 * content the sender chose), links without a host, white space and control characters anywhere,
 * and the characters RFC 3987 keeps out of an IRI (< > " { } | \ ^ `).
 */
const REFUSED = /[\s\p{Cc}<>"{}|\\^`]/u;
/** http or https, then a host: the WHATWG parser would read https:///a.jpg as host "a.jpg". */
const SCHEME_AND_HOST = /^https?:\/\/[^/?#]/i;

export function isHttpIri(text: string): boolean {
  // What is left to check: a host and port the parser takes.
  return !REFUSED.test(text) && SCHEME_AND_HOST.test(text) && URL.canParse(text);
}
