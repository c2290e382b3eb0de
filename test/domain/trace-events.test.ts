import { describe, expect, it } from 'vitest';
import { classifyTrace, defaultFulfilmentPolicy, traceEventsFromCourier, turnedBackInTrace } from '../../domain/index.js';

describe('courier scans read as trace events', () => {
  it('maps the codes and reads the signer', () => {
    expect(traceEventsFromCourier([
      { at: 1, code: 'PICKED_UP' },
      { at: 2, code: 'DAMAGED', description: 'box crushed' },
      { at: 3, code: 'SIGNED', description: '已签收，签收人：王芳。' },
      { at: 4, code: 'delivered', description: 'Delivered, signed by Front Desk, thank you' },
      { at: 5, code: 'SIGNED', description: 'delivered and signed for' },
      { at: 6, code: '已签收', description: '签收人：李雷' },
      { at: 7, code: '拒收' },
      { at: 8, code: '签收失败' },
    ])).toEqual([
      { at: 1, kind: 'SCAN' },
      { at: 2, kind: 'DAMAGED' },
      { at: 3, kind: 'DELIVERED', signer: '王芳' },
      { at: 4, kind: 'DELIVERED', signer: 'Front Desk' },
      { at: 5, kind: 'DELIVERED' },
      { at: 6, kind: 'DELIVERED', signer: '李雷' },
      { at: 7, kind: 'REFUSED' },
      { at: 8, kind: 'SCAN' },
    ]);
  });

  it('feeds the trace classes: the recipient, someone else', () => {
    const policy = defaultFulfilmentPolicy(1);
    expect(classifyTrace(policy, traceEventsFromCourier([{ at: 1, code: 'SIGNED', description: '签收人：王芳' }]), '王芳', 2, true).outcome).toBe('DELIVERED');
    expect(classifyTrace(policy, traceEventsFromCourier([{ at: 1, code: 'SIGNED', description: '签收人：门卫' }]), '王芳', 2, true).outcome).toBe('SIGNED_BY_OTHER');
  });
});

describe('a trace that says the parcel turned back', () => {
  it('finds the first such scan from a time on, or the status alone while nothing was dealt with', () => {
    const scans = [{ at: 1, code: '派送中' }, { at: 2, code: '拒收', description: '收件人拒收' }, { at: 3, code: 'RETURNING' }, { at: 4, code: '已签收' }];
    expect(turnedBackInTrace({ status: 'DELIVERED', events: scans })).toEqual({ code: 'REFUSED', at: 2, description: '收件人拒收' });
    expect(turnedBackInTrace({ status: 'DELIVERED', events: scans }, 3)).toEqual({ code: 'RETURNING', at: 3 });
    expect(turnedBackInTrace({ status: 'DELIVERED', events: scans }, 4)).toBeUndefined();
    expect(turnedBackInTrace({ status: '退回寄件人' })).toEqual({ code: 'RETURN_TO_SENDER' });
    // A status has no time: once a refusal was dealt with, it may be the old one.
    expect(turnedBackInTrace({ status: 'REFUSED' }, 10)).toBeUndefined();
    expect(turnedBackInTrace({ status: '签收失败' })).toBeUndefined();
    expect(turnedBackInTrace({ status: 'IN_TRANSIT', events: [{ at: 1, code: 'DELIVERED' }] })).toBeUndefined();
  });
});
