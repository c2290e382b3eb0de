/**
 * A courier's tracking event as the workflows compare it. Carriers' callbacks name an event by a
 * code (DELIVERED), by a synonym (SIGNED) or, for many Chinese carriers, by the status word their
 * own app shows: 已签收, 拒收, 拦截成功. The workflows act on a few codes (a parcel the shop sent
 * is DELIVERED; one being intercepted for a refund is REFUSED, RETURNING, INTERCEPTED or
 * RETURN_TO_SENDER: docs/after-sales.md), so a "已签收" that stayed itself delivered nothing.
 *
 * Only whole words are translated: "签收失败" (a failed delivery) contains 签收 and must not read as
 * DELIVERED. Anything unknown stays as the carrier sent it, upper-cased, and changes nothing.
 */
import { compact } from './typed-text.js';

/** Each code the platform knows and the words carriers use for it (compared folded: see `fold`). */
export const COURIER_EVENT_WORDS: Readonly<Record<string, readonly string[]>> = {
  DELIVERED: ['SIGNED', 'SIGN', '签收', '已签收', '本人签收', '代签收', '已代签收', '妥投', '已妥投', '派送成功', '已送达', '投递成功'],
  REFUSED: ['REJECTED', '拒收', '已拒收', '拒签', '客户拒收', '收件人拒收'],
  RETURNING: ['退回', '退回中', '退件', '退件中', '返回中', '转退回', '退回件'],
  INTERCEPTED: ['拦截', '已拦截', '拦截成功'],
  RETURN_TO_SENDER: ['退回寄件人', '已退回寄件人', '退回发件人', '已退回发件人', '退还寄件人'],
  DAMAGED: ['破损', '快件破损'],
  LOST: ['丢失', '遗失', '丢件', '快件丢失', '快件遗失'],
  EXCEPTION: ['问题件', '异常件', '快件异常', '派送异常'],
  MISDELIVERED: ['错派', '误派', '错分'],
  UNREACHABLE: ['无法联系收件人', '联系不上收件人'],
  IN_TRANSIT: ['运输中', '在途', '在途中', '运送中'],
  PICKED_UP: ['揽收', '已揽收', '揽件', '已揽件'],
  OUT_FOR_DELIVERY: ['派送中', '派件中', '正在派件'],
};

/**
 * The codes that say a parcel will not reach the customer: refused at the door, intercepted, or on
 * its way back. A parcel being intercepted for a refund is coming back; one the shop sent out has
 * failed; one a customer says is lost was at their door by the courier's account. A "signed for"
 * after one of them is the shop taking the parcel in, not the customer's delivery.
 */
export const TURNED_BACK_CODES: ReadonlySet<string> = new Set(['REFUSED', 'RETURNING', 'INTERCEPTED', 'RETURN_TO_SENDER']);

/** As compared: half-width, no white space of any kind, letters upper-cased. */
const fold = (text: string) => compact(text).toUpperCase();

const BY_WORD = new Map<string, string>(Object.entries(COURIER_EVENT_WORDS).flatMap(([code, words]) => [[code, code] as const, ...words.map((w) => [fold(w), code] as const)]));

/** The code the workflows compare for a courier's event `code`: a known code or word as its code, anything else trimmed and upper-cased. */
export function courierEventCode(code: string): string {
  return BY_WORD.get(fold(code)) ?? code.trim().toUpperCase();
}
