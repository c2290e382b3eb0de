/**
 * The zh-CN / en names the platform already gives its codes (the same words the register export,
 * the customer messages and the Temporal UI summaries use; the timeline's steps): imported from
 * domain/, not copied.
 */
import { CARRIER_NAMES } from '../../../../domain/carriers';
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES, CASE_TYPE_NAMES, type Names } from '../../../../domain/case-types';
import { DOCUMENT_NAMES } from '../../../../domain/fulfilment/documents';
import { ROOT_CAUSE_CATEGORY_NAMES, ROOT_CAUSES } from '../../../../domain/fulfilment/root-cause';
import { STEP_NAMES } from '../../../../domain/step-names';

export type { Names };

const subCauses: Record<string, Names> = {};
for (const [category, subs] of Object.entries(ROOT_CAUSES)) {
  for (const [sub, names] of Object.entries(subs as Record<string, Names>)) {
    subCauses[sub] = names;
    subCauses[`${category}.${sub}`] = names;
  }
}

/** kind → code → names */
export const DOMAIN_NAMES: Record<string, Record<string, Names>> = {
  type: CASE_TYPE_NAMES,
  status: CASE_STATUS_NAMES,
  stage: CASE_STAGE_NAMES,
  document: DOCUMENT_NAMES,
  rootCauseCategory: ROOT_CAUSE_CATEGORY_NAMES,
  rootCause: subCauses,
  step: STEP_NAMES,
};

/** The codes a form offers, in the platform's order. */
export const TYPE_CODES: string[] = Object.keys(CASE_TYPE_NAMES);
export const STAGE_CODES: string[] = Object.keys(CASE_STAGE_NAMES);
/** The stages of a finished case (the API's `open=true` leaves them out). */
export const FINISHED_STAGES: string[] = ['RESOLVED', 'CLOSED'];
export const ROOT_CAUSE_TREE: Record<string, string[]> = Object.fromEntries(Object.entries(ROOT_CAUSES).map(([c, subs]) => [c, Object.keys(subs)]));

/** The known carriers' names as the dictionaries' `carrier.{code}` words: the ones the customer's messages use. */
export const carrierWords = (lang: keyof Names): Record<string, string> =>
  Object.fromEntries(Object.entries(CARRIER_NAMES).map(([code, names]) => [`carrier.${code}`, names[lang]]));
