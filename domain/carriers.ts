/**
 * Carriers are named by code everywhere a parcel is matched: a courier's callback arrives at
 * /v1/couriers/SF/events, the policy's preferred and backup carriers are codes, the contracts table
 * is keyed by code. People, though, type the name they see on the label or in the courier's app:
 * "顺丰", "中通快递", "SF Express". A return sent as "顺丰" was stored under that name, and SF's
 * tracking events for it were refused as another carrier's parcel; a clerk's re-shipment "顺丰" was
 * refused as "not SF". So every carrier a request names is turned into its code here first.
 *
 * Known: the carriers the console names (its `carrier.*` words). Any other carrier is named by its
 * own code, the one in its callback URL.
 */
import type { Names } from './case-types.js';
import { compact, halfWidth } from './typed-text.js';

/** A carrier's code: 1–32 of A–Z, 0–9, _ and - (the callback URL's `:carrier`, upper-cased). */
export const CARRIER_CODE = /^[A-Z0-9_-]{1,32}$/;

/** Each known carrier's code and the names people write for it (compared folded: see `fold`). */
export const KNOWN_CARRIERS: Readonly<Record<string, readonly string[]>> = {
  SF: ['顺丰', '顺丰速运', '顺丰快递', '顺丰速递', 'SF Express', 'Shunfeng'],
  YTO: ['圆通', '圆通速递', '圆通快递', 'YTO Express'],
  ZTO: ['中通', '中通快递', '中通速递', 'ZTO Express'],
  STO: ['申通', '申通快递', 'STO Express'],
  YUNDA: ['韵达', '韵达速递', '韵达快递', 'Yunda Express', 'Yunda'],
  EMS: ['邮政', '中国邮政', '邮政EMS', '中国邮政EMS', 'EMS快递', '邮政快递', 'China Post', 'China Post EMS'],
  JD: ['京东', '京东物流', '京东快递', 'JD Logistics', 'JD Express'],
  JTEXPRESS: ['极兔', '极兔速递', '极兔快递', 'J&T', 'J&T Express', 'JT Express'],
  DEPPON: ['德邦', '德邦快递', '德邦物流', 'Deppon', 'Deppon Express'],
};

/**
 * Each known carrier as people are told its name: in the customer's messages ("顺丰速运 运单号 SF…",
 * not the code "SF") and on the console's screens.
 */
export const CARRIER_NAMES: Readonly<Record<string, Names>> = {
  SF: { 'zh-CN': '顺丰速运', en: 'SF Express' },
  YTO: { 'zh-CN': '圆通速递', en: 'YTO Express' },
  ZTO: { 'zh-CN': '中通快递', en: 'ZTO Express' },
  STO: { 'zh-CN': '申通快递', en: 'STO Express' },
  YUNDA: { 'zh-CN': '韵达速递', en: 'Yunda Express' },
  EMS: { 'zh-CN': '中国邮政 EMS', en: 'China Post EMS' },
  JD: { 'zh-CN': '京东物流', en: 'JD Logistics' },
  JTEXPRESS: { 'zh-CN': '极兔速递', en: 'J&T Express' },
  DEPPON: { 'zh-CN': '德邦快递', en: 'Deppon Express' },
};

/**
 * A name as compared: half-width, without white space of any kind (the ideographic space too) or the
 * joiners people put in its place ("sf-express", "SF_EXPRESS", "中通·快递"), ASCII letters lower-cased.
 */
const fold = (text: string) => compact(text).replace(/[-_.·・]/g, '').toLowerCase();

const BY_NAME = new Map<string, string>(
  Object.entries(KNOWN_CARRIERS).flatMap(([code, names]) => [[fold(code), code] as const, ...names.map((n) => [fold(n), code] as const)]),
);

/**
 * What people add to a carrier's code or short name ("SF快递", "YTO Express"), compared folded. Not
 * 快运 or 物流: 中通快运 and 韵达快运 are freight companies of their own, with their own numbers.
 */
const CARRIER_WORDS = /(快递|速递|速运|express)$/;

/**
 * The code of a known carrier `text` names, by any of its names or its code in any case or width,
 * also with a carrier word after it ("SF快递", a clerk's mix of code and word); undefined for any
 * other text.
 */
export function knownCarrierCode(text: string): string | undefined {
  const name = fold(text);
  const bare = name.replace(CARRIER_WORDS, '');
  return BY_NAME.get(name) ?? (bare && bare !== name ? BY_NAME.get(bare) : undefined);
}

/**
 * The code of the carrier `text` names, as couriers' callbacks name it and CaseParcel keeps it: a
 * known carrier's name or code in any case or width ("顺丰", "sf", "ＳＦ", "SF Express" → SF), any
 * other text half-width, trimmed and upper-cased ("best" → BEST). An unknown name ("Some Express",
 * "小件快递") is not guessed into a code: `isCarrierCode` is false for it, for the caller to refuse.
 */
export function carrierCodeOf(text: string): string {
  return knownCarrierCode(text) ?? halfWidth(text).trim().toUpperCase();
}

export const isCarrierCode = (text: string): boolean => CARRIER_CODE.test(text);

/**
 * The carrier `text` names (a code, or a name as someone typed it) as a reader of `locale` knows it:
 * a known carrier's name, any other carrier as written.
 */
export function carrierName(text: string, locale: keyof Names): string {
  const code = knownCarrierCode(text);
  return code ? CARRIER_NAMES[code]![locale] : text;
}
