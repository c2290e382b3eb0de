import { describe, expect, it } from 'vitest';
import { COURIER_EVENT_WORDS, courierEventCode } from '../../domain/courier-event-codes.js';

describe("a courier's event code as the workflows compare it", () => {
  it.each([
    ['DELIVERED', 'DELIVERED'],
    [' delivered ', 'DELIVERED'],
    ['signed', 'DELIVERED'],
    ['已签收', 'DELIVERED'],
    ['\u3000代签收 ', 'DELIVERED'],
    ['妥投', 'DELIVERED'],
    ['拒收', 'REFUSED'],
    ['拦截成功', 'INTERCEPTED'],
    ['退回寄件人', 'RETURN_TO_SENDER'],
    ['退回中', 'RETURNING'],
    ['ｒｅｆｕｓｅｄ', 'REFUSED'],
    ['快件丢失', 'LOST'],
    ['问题件', 'EXCEPTION'],
  ])('%s is %s', (word, code) => expect(courierEventCode(word)).toBe(code));

  it('translates whole words only: a failed delivery is not a delivery', () => {
    expect(courierEventCode('签收失败')).toBe('签收失败');
    expect(courierEventCode('未签收')).toBe('未签收');
    expect(courierEventCode('拦截失败')).toBe('拦截失败');
  });

  it('keeps any other code as sent, trimmed and upper-cased (names of Object.prototype too)', () => {
    expect(courierEventCode(' in_transit ')).toBe('IN_TRANSIT');
    expect(courierEventCode('ARRIVED_AT_HUB')).toBe('ARRIVED_AT_HUB');
    expect(courierEventCode('constructor')).toBe('CONSTRUCTOR');
    expect(courierEventCode('__proto__')).toBe('__PROTO__');
  });

  it('gives no word to two codes', () => {
    const words = Object.values(COURIER_EVENT_WORDS).flat();
    expect(new Set(words).size).toBe(words.length);
  });
});
