import { describe, expect, it } from 'vitest';
import { classifyTrace, defaultFulfilmentPolicy, traceEventsFromCourier } from '../../domain/index.js';

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
