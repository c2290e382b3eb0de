/**
 * The API's refusals in the reader's words (problem-words.ts, bound to the console's dictionaries):
 * what every page and form shows for an `ApiProblem` instead of its English `message`.
 */
import { ApiProblem } from './api';
import { fieldName } from './describe';
import { currentLang, label, t } from './i18n';
import { zh } from './i18n/zh';
import { en } from './i18n/en';
import { aboutOne, aboutText, generalText, problemText, type ProblemText, type Words } from './problem-words';

export type { ProblemText };

const DICTS = { en, 'zh-CN': zh } as const;

const words: Words = {
  say: (key, params) => (key in DICTS[currentLang()] ? t(key, params) : undefined),
  field: (name) => (`field.${name}` in DICTS[currentLang()] ? fieldName(name) : undefined),
  stage: (code) => label('stage', code),
};

/** Anything a page caught, as an `ApiProblem` (a plain error: "something went wrong" with its words as detail). */
const asProblem = (err: unknown) => (err instanceof ApiProblem ? err : new ApiProblem(0, 'ERROR', String(err)));

/** A refusal (or any error) in the reader's words, with the API's own as detail. */
export function sayProblem(err: unknown): ProblemText {
  const p = asProblem(err);
  return p.inReadersWords ? { text: p.message } : problemText(p, words);
}

/** The same as one line (for a place that shows one string): the sentence, then the API's words in brackets. */
export function problemLine(err: unknown): string {
  const { text, detail } = sayProblem(err);
  return detail ? `${text}${t('problem.detailOpen')}${detail}${t('problem.detailClose')}` : text;
}

/** A field's reason as the API gave it (`must be a whole number ≥ 1`), in the reader's words. */
export const sayReason = (reason: string): string => aboutOne(reason, words);

/** What the API said about one form field (`body.reason`), in the reader's words. */
export const sayAbout = (p: ApiProblem, field: string): string | undefined => aboutText(p, field, words);

/** What to show above a form whose `fields` show their own problems (undefined when they show them all). */
export const sayGeneral = (p: ApiProblem, fields: string[]): ProblemText | undefined => (p.inReadersWords ? { text: p.message } : generalText(p, fields, words));
