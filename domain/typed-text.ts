/**
 * Text as people type it, compared the same however it was typed: a Chinese IME writes full-width
 * ASCII ("ＳＦ"), and copied text carries spaces of any kind and invisible marks.
 */

/**
 * White space of every kind (ASCII, no-break, the ideographic space U+3000, thin and narrow spaces …)
 * and the invisible marks copy-paste carries (zero-width spaces and joiners, the word joiner, the
 * byte-order mark, the direction marks and isolates phones wrap numbers in), as the inside of a
 * regular expression's character class.
 */
export const SPACE_AND_INVISIBLE_MARKS = '\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f\\u2060\\u2066-\\u2069\\u3000\\ufeff';

const SPACE_AND_MARKS = new RegExp(`[${SPACE_AND_INVISIBLE_MARKS}]`, 'g');

/**
 * Full-width ASCII (U+FF01–U+FF5E, what NFKC makes of them) as ASCII. Only that block: full NFKC
 * would also turn "①" into "1" or "™" into "TM", inventing text out of characters nobody typed.
 */
export const halfWidth = (text: string) => text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** Half-width, without white space of any kind or invisible marks. */
export const compact = (text: string) => halfWidth(text).replace(SPACE_AND_MARKS, '');
