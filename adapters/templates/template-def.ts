/**
 * What a notification template is. Its own module so that the per-type template files and
 * `adapters/templates.ts`, which gathers them, both depend on it and not on each other.
 */
import type { Locale } from '../money.js';

/**
 * text: as given; date: epoch ms or ISO string; money: minor units, formatted with the `currency`
 * param; lines: [{ sku, name?, quantity | receivedQuantity, condition? }]; item: one item, a SKU or
 * { sku, name? }. Lines and items are named as a customer knows them: the order's item name for the
 * SKU where the caller gives them (RenderOptions.itemNames), else the name the value brings (goods
 * the order does not hold: sent by mistake, a loan item), else the SKU. carrier: a carrier's code (or
 * name), said as the reader knows the carrier ("顺丰速运", "SF Express"); an unknown one as written.
 * postage: who pays for the parcel back, SHOP or CUSTOMER (domain/return-postage.ts), said as a
 * sentence of its own: send it freight collect, or do not.
 */
export type ParamKind = 'text' | 'date' | 'money' | 'currency' | 'lines' | 'item' | 'carrier' | 'postage';

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
