/**
 * What a notification template is. Its own module so that the per-type template files and
 * `adapters/templates.ts`, which gathers them, both depend on it and not on each other.
 */
import type { Locale } from '../money.js';

/** text: as given; date: epoch ms or ISO string; money: minor units, formatted with the `currency` param; lines: [{ sku, quantity | receivedQuantity, condition? }], each named by the order's item name where the caller gives them (RenderOptions.itemNames). */
export type ParamKind = 'text' | 'date' | 'money' | 'currency' | 'lines';

export interface TemplateDef {
  params: Record<string, ParamKind>;
  /**
   * Final care (001 §05): messages that end a part of the case close with an apology and thanks
   * (`true`), or with thanks alone where the message has apologised already (`'thanks'`): twice
   * sorry in one message reads as a form letter.
   */
  closing?: true | 'thanks';
  text: Record<Locale, { subject: string; body: string }>;
}
