/**
 * Text as people type it, compared the same however it was typed: a Chinese IME writes full-width
 * ASCII ("ＳＦ"), and copied text carries spaces of any kind and invisible joiners.
 */

/** Full-width ASCII as ASCII. */
export const halfWidth = (text: string) => text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** Half-width, without white space of any kind (the ideographic space too) or zero-width characters. */
export const compact = (text: string) => halfWidth(text).replace(/[\s\u200b-\u200d\u2060\ufeff]/gu, '');
