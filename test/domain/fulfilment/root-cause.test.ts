import { describe, expect, it } from 'vitest';
import { isInternalParty, responsibleParty, ROOT_CAUSE_CATEGORIES, ROOT_CAUSE_CATEGORY_NAMES, ROOT_CAUSES, rootCauseName, validateRootCause, validateRootCauseRecord, type RootCauseCategory, type SubCause } from '../../../domain/fulfilment/index.js';

describe('root causes of wrong shipments (002)', () => {
  it('five categories with their sub-causes, each named in both languages', () => {
    expect(ROOT_CAUSE_CATEGORIES).toEqual(['WAREHOUSE', 'TRANSPORT', 'ORDER', 'SUPPLIER', 'PEOPLE']);
    expect(Object.keys(ROOT_CAUSES.WAREHOUSE)).toEqual(['INBOUND_LOCATION', 'OUTBOUND_LOCATION', 'STOCKTAKE', 'LABEL']);
    expect(Object.keys(ROOT_CAUSES.ORDER)).toEqual(['CUSTOMER_ENTRY', 'AGENT_ENTRY', 'SYSTEM', 'PICKING', 'DELIVERY']);
    for (const c of ROOT_CAUSE_CATEGORIES) {
      expect(ROOT_CAUSE_CATEGORY_NAMES[c]['zh-CN']).toMatch(/原因$/);
      for (const sub of Object.keys(ROOT_CAUSES[c])) {
        const n = rootCauseName(c, sub as SubCause);
        expect(n['zh-CN'].length).toBeGreaterThan(0);
        expect(n.en.length).toBeGreaterThan(0);
        expect(validateRootCause(c, sub)).toEqual([]);
      }
    }
    expect(rootCauseName('WAREHOUSE', 'LABEL')['zh-CN']).toBe('货物标签错误');
  });
  it('rejects unknown categories and sub-causes of another category', () => {
    expect(validateRootCause('WEATHER', 'RAIN')).toEqual([{ field: 'rootCause.category', reason: 'must be one of WAREHOUSE, TRANSPORT, ORDER, SUPPLIER, PEOPLE, got "WEATHER"' }]);
    expect(validateRootCause('TRANSPORT', 'LABEL')).toEqual([
      { field: 'rootCause.subCause', reason: "must be one of TRANSPORT's DAMAGE_OR_LOSS, MISDELIVERY, DELAY, MISSORT, got \"LABEL\"" },
    ]);
    expect(validateRootCause('toString', 'x')[0].field).toBe('rootCause.category');
    expect(validateRootCause('PEOPLE', undefined)[0].field).toBe('rootCause.subCause');
  });
  it('names the responsible party of every sub-cause', () => {
    const table = Object.fromEntries(ROOT_CAUSE_CATEGORIES.flatMap((c: RootCauseCategory) => Object.keys(ROOT_CAUSES[c]).map((s) => [`${c}.${s}`, responsibleParty(c, s as SubCause)])));
    expect(table).toEqual({
      'WAREHOUSE.INBOUND_LOCATION': 'WAREHOUSE', 'WAREHOUSE.OUTBOUND_LOCATION': 'WAREHOUSE', 'WAREHOUSE.STOCKTAKE': 'WAREHOUSE', 'WAREHOUSE.LABEL': 'WAREHOUSE',
      'TRANSPORT.DAMAGE_OR_LOSS': 'COURIER', 'TRANSPORT.MISDELIVERY': 'COURIER', 'TRANSPORT.DELAY': 'COURIER', 'TRANSPORT.MISSORT': 'COURIER',
      'ORDER.CUSTOMER_ENTRY': 'CUSTOMER', 'ORDER.AGENT_ENTRY': 'CUSTOMER_SERVICE', 'ORDER.SYSTEM': 'SYSTEM', 'ORDER.PICKING': 'WAREHOUSE', 'ORDER.DELIVERY': 'COURIER',
      'SUPPLIER.OPERATION': 'SUPPLIER', 'SUPPLIER.STOCK_MANAGEMENT': 'SUPPLIER', 'SUPPLIER.LOGISTICS': 'SUPPLIER', 'SUPPLIER.COMMUNICATION': 'SUPPLIER',
      'PEOPLE.PICKER': 'WAREHOUSE', 'PEOPLE.PACKER': 'WAREHOUSE', 'PEOPLE.DISPATCHER': 'LOGISTICS', 'PEOPLE.RECEIVER': 'CUSTOMER',
    });
    expect(['WAREHOUSE', 'CUSTOMER_SERVICE', 'SYSTEM', 'LOGISTICS'].every((p) => isInternalParty(p as never))).toBe(true);
    expect(['COURIER', 'CUSTOMER', 'SUPPLIER'].some((p) => isInternalParty(p as never))).toBe(false);
  });
  it('an internal cause needs the responsible person and the improvement; others do not', () => {
    expect(validateRootCauseRecord({ category: 'PEOPLE', subCause: 'PACKER' })).toEqual([
      { field: 'rootCause.responsiblePerson', reason: 'is required' },
      { field: 'rootCause.improvement', reason: 'is required' },
    ]);
    expect(validateRootCauseRecord({ category: 'PEOPLE', subCause: 'PACKER', responsiblePerson: '张三', improvement: '包装前扫码复核' })).toEqual([]);
    expect(validateRootCauseRecord({ category: 'PEOPLE', subCause: 'PACKER', responsiblePerson: 'x'.repeat(101), improvement: ' ' }).map((p) => p.reason)).toEqual(['must be at most 100 characters', 'is required']);
    expect(validateRootCauseRecord({ category: 'TRANSPORT', subCause: 'MISSORT' })).toEqual([]);
    expect(validateRootCauseRecord({ category: 'ORDER', subCause: 'LABEL' as never })[0].field).toBe('rootCause.subCause');
  });
});
