/**
 * A time zone as a customer knows it, for the times the platform tells them (deadlines in messages,
 * the solution deadline's explanation): 北京时间 / Beijing time for the shop's usual zone, the zone's
 * id with "local time" otherwise. A bare "18:00" would leave a customer abroad guessing.
 */

/** The zones a Chinese customer knows as 北京时间 (Asia/Shanghai and its old aliases). */
const BEIJING_TIME = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

/** '北京时间', or 'Europe/Berlin 当地时间'. */
export const zoneNameZh = (timeZone: string): string => (BEIJING_TIME.has(timeZone) ? '北京时间' : `${timeZone} 当地时间`);

/** 'Beijing time', or 'Europe/Berlin time'. */
export const zoneNameEn = (timeZone: string): string => (BEIJING_TIME.has(timeZone) ? 'Beijing time' : `${timeZone} time`);
