/**
 * The API's refusals in English: its own words as they are (problem-words.ts shows `message` when
 * the reader's dictionary has no `problem.code.*`), with the detail brackets of a one-line message.
 */
export const problemsEn: Record<string, string> = {
  'problem.detailOpen': ' (',
  'problem.detailClose': ')',
};
