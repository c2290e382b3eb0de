/** Every customer message renders in both languages with its parameters, and never with a hole in it. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../adapters/money.js';
import { CLOSING_LINE, THANKS_LINE, isTemplateName, render, TEMPLATE_NAMES, TEMPLATES, TemplateError, type ParamKind } from '../../adapters/templates.js';
import { itemNamesOf } from '../../domain/return-refund.js';

const LOCALES = ['zh-CN', 'en'] as const;
const at = Date.UTC(2026, 10, 22, 10, 0); // 18:00 in Shanghai

const SAMPLE: Record<ParamKind, unknown> = {
  text: 'sample-text',
  date: at,
  money: 6666,
  currency: 'CNY',
  lines: [{ sku: 'MUG', quantity: 2 }],
  item: 'SAMPLE-SKU',
  carrier: 'SF',
  postage: 'SHOP',
};
const sampleParams = (name: keyof typeof TEMPLATES) =>
  Object.fromEntries(Object.entries(TEMPLATES[name].params).map(([p, kind]) => [p, SAMPLE[kind as ParamKind]]));

describe('who pays for the parcel back', () => {
  it('is said for the customer too, and anything but SHOP or CUSTOMER is refused, never rendered as a hole', () => {
    const params = { ...sampleParams('returnApprovedWithPostage'), postage: 'CUSTOMER' };
    expect(render('returnApprovedWithPostage', 'zh-CN', params).text).toContain('寄回运费由您承担，请勿以到付方式寄出。');
    expect(render('returnApprovedWithPostage', 'en', params).text).toContain('The postage is yours to pay: please do not send the parcel freight collect.');
    expect(() => render('returnApprovedWithPostage', 'en', { ...params, postage: 'BOTH' })).toThrow(TemplateError);
  });
});

describe('every template', () => {
  for (const name of TEMPLATE_NAMES) {
    for (const locale of LOCALES) {
      it(`${name} renders in ${locale} with its parameters and nothing left over`, () => {
        const m = render(name, locale, sampleParams(name));
        expect(m.subject).not.toBe('');
        expect(m.text).not.toMatch(/[{}]/);
        for (const [param, kind] of Object.entries(TEMPLATES[name].params)) {
          if (kind === 'text') expect(m.text).toContain('sample-text');
          if (kind === 'money') expect(m.text).toContain(formatMoney(6666, 'CNY', locale));
          if (kind === 'lines') expect(m.text).toContain('MUG × 2');
          if (kind === 'item') expect(m.text).toContain('SAMPLE-SKU');
          // The carrier by the name its reader knows, not by the code the platform keeps.
          if (kind === 'carrier') expect(m.text).toContain(locale === 'zh-CN' ? '顺丰速运 运单号' : 'SF Express');
          // Who pays for the parcel back, as a sentence of its own.
          if (kind === 'postage') expect(m.text).toContain(locale === 'zh-CN' ? '寄回运费由我们承担，请以到付方式寄出。请在包裹内' : 'We pay the postage: send the parcel freight collect. Put a note');
          void param;
        }
        const closing: unknown = (TEMPLATES[name] as { closing?: unknown }).closing;
        if (closing) expect(m.text.endsWith((closing === 'thanks' ? THANKS_LINE : CLOSING_LINE)[locale])).toBe(true);
        // Sorry once at most: a message that apologises itself closes with thanks alone (an integrator read two apologies).
        expect(m.text.match(locale === 'zh-CN' ? /抱歉|歉意/g : /sorry|apologi[sz]e/gi)?.length ?? 0, `${name} apologises twice`).toBeLessThanOrEqual(1);
        // Chinese texts are Chinese, English ones are not.
        expect(/[\u4e00-\u9fff]/.test(m.text)).toBe(locale === 'zh-CN');
      });

      for (const param of Object.keys(TEMPLATES[name].params)) {
        it(`${name} in ${locale} refuses to render without ${param}`, () => {
          const params = sampleParams(name);
          delete params[param];
          expect(() => render(name, locale, params)).toThrow(TemplateError);
          expect(() => render(name, locale, params)).toThrow(new RegExp(`${name}: missing parameter`));
        });
      }
    }
  }
});

describe('render', () => {
  it('says money in the currency’s ISO 4217 minor units, not the runtime’s display digits (IDR has 2 there, 0 in ICU)', () => {
    expect(render('refundIssued', 'en', { amountMinor: 150_000, currency: 'IDR' }).text).toMatch(/IDR\s1,500\.00/);
    expect(render('refundIssued', 'zh-CN', { amountMinor: 1_200, currency: 'JPY' }).text).toContain('1,200');
    expect(render('refundIssued', 'en', { amountMinor: 1_234, currency: 'KWD' }).text).toMatch(/KWD\s1\.234/);
    expect(() => render('refundIssued', 'en', { amountMinor: 1, currency: 'XYZ' })).toThrow(/XYZ, which has no known minor unit/);
  });

  it('names a carrier as its reader knows it: a known one by its name in their language (from its code or any of its names), any other as written', () => {
    const shipped = (carrier: string, locale: 'zh-CN' | 'en') => render('parcelReshipped', locale, { carrier, trackingNumber: 'T1' }).text;
    expect(shipped('SF', 'zh-CN')).toContain('顺丰速运 运单号 T1');
    expect(shipped('顺丰', 'en')).toContain('SF Express');
    expect(shipped('JTEXPRESS', 'zh-CN')).toContain('极兔速递 运单号 T1');
    expect(shipped('BEST', 'zh-CN')).toContain('BEST 运单号 T1');
    expect(() => render('parcelReshipped', 'en', { carrier: ' ', trackingNumber: 'T1' })).toThrow(/parameter carrier must be a carrier code or name/);
  });

  it('an unknown template is a clear error', () => {
    expect(() => render('refundIsued', 'en', {})).toThrow('template refundIsued: unknown template');
    expect(() => render('toString', 'en', {})).toThrow(/unknown template/);
  });

  it('a parameter of the wrong kind is an error naming it', () => {
    expect(() => render('refundIssued', 'en', { amountMinor: 66.66, currency: 'CNY' })).toThrow(/amountMinor must be a whole number/);
    expect(() => render('revisit', 'en', { answerBy: 'next week' })).toThrow(/answerBy must be a time/);
    expect(() => render('inspectionResult', 'en', { lines: [] })).toThrow(/lines must be a non-empty list/);
  });

  it('formats money per locale and currency', () => {
    expect(render('refundIssued', 'zh-CN', { amountMinor: 6666, currency: 'CNY' }).text).toContain('¥66.66 的退款已发起');
    expect(render('refundIssued', 'en', { amountMinor: 6666, currency: 'CNY' }).text).toContain('a refund of CN¥66.66 has');
    expect(render('refundIssued', 'en', { amountMinor: 1500, currency: 'JPY' }).text).toContain('¥1,500');
    expect(render('refundIssued', 'en', { amountMinor: 123456, currency: 'USD' }).text).toContain('$1,234.56');
  });

  it('shows deadlines in the shop time zone (Asia/Shanghai unless told)', () => {
    // With the zone, as a customer knows it: whose 18:00 is never left to guess.
    expect(render('shipReminder', 'zh-CN', { shipBy: at }).text).toContain('2026年11月22日 18:00（北京时间）');
    expect(render('shipReminder', 'en', { shipBy: new Date(at).toISOString() }).text).toContain('Nov 22, 2026, 6:00 PM (Beijing time)');
    expect(render('shipReminder', 'en', { shipBy: at }, { timeZone: 'UTC' }).text).toContain('10:00 AM (UTC time)');
    expect(render('shipReminder', 'zh-CN', { shipBy: at }, { timeZone: 'Europe/Berlin' }).text).toContain('11:00（Europe/Berlin 当地时间）');
  });

  it('renders inspected lines with their condition', () => {
    const lines = [
      { sku: 'MUG', receivedQuantity: 1, condition: 'OK' },
      { sku: 'CUP', receivedQuantity: 0, condition: 'MISSING' },
    ];
    expect(render('inspectionResult', 'zh-CN', { lines }).text).toContain('MUG × 1（完好）；CUP × 0（未收到）');
    expect(render('inspectionResult', 'en', { lines }).text).toContain('MUG × 1 (in good condition); CUP × 0 (not received)');
    // Named as the order names them where the caller gives the names; a SKU without one stays a SKU.
    expect(render('inspectionResult', 'zh-CN', { lines }, { itemNames: { MUG: '骨瓷马克杯' } }).text).toContain('骨瓷马克杯 × 1（完好）；CUP × 0（未收到）');
    // Goods the order does not hold (sent by mistake) go by the name the line brings; the order's name comes first.
    const wrong = [{ sku: 'PLATE', name: '白瓷盘', quantity: 1 }];
    expect(render('goodsInspected', 'zh-CN', { lines: [{ ...wrong[0], receivedQuantity: 1, condition: 'OK' }] }).text).toContain('白瓷盘 × 1（完好）');
    expect(render('inspectionResult', 'en', { lines: wrong }, { itemNames: { PLATE: 'Plate, white' } }).text).toContain('Plate, white × 1');
  });

  it('names one item as a customer knows it: the order\'s name, else the name it brings, else its SKU', () => {
    // Messages stored before items carried names hold a bare SKU: they render as they did, or better where the order names it.
    expect(render('loanReceived', 'zh-CN', { sku: 'LOAN-7' }).text).toContain('临时替代品（LOAN-7）');
    expect(render('wrongItemExplained', 'en', { sku: 'MUG' }, { itemNames: { MUG: 'Bone china mug' } }).text).toContain('it is the one you ordered (Bone china mug)');
    expect(render('sendLoanBack', 'en', { sku: { sku: 'LOAN-7', name: 'Loan phone, black' }, returnAddress: 'Dock 3', shipBy: at, returnCode: 'c-1' }).text).toContain('the loan item (Loan phone, black) back');
    expect(render('loanReceived', 'en', { sku: { sku: 'LOAN-7' } }).text).toContain('the loan item (LOAN-7)');
    expect(render('loanReceived', 'en', { sku: { sku: 'MUG', name: 'Mug' } }, { itemNames: { MUG: 'Bone china mug' } }).text).toContain('(Bone china mug)');
    expect(() => render('loanReceived', 'en', { sku: { name: 'Loan phone' } })).toThrow(/sku must be a SKU or \{ sku, name \}/);
    expect(() => render('loanReceived', 'en', { sku: '  ' })).toThrow(/sku must be a SKU/);
  });

  it('ends a sentence once after a person\'s words that end it themselves', () => {
    expect(render('refundRejected', 'zh-CN', { reason: '商品已刻字，无法取消。' }).text).toContain('原因：商品已刻字，无法取消。');
    expect(render('refundRejected', 'zh-CN', { reason: '商品已刻字，无法取消。' }).text).not.toContain('。。');
    expect(render('returnRejected', 'en', { reason: 'it was engraved with your name.' }).text).toMatch(/with your name\.(?!\.)/);
    // Words without an end are ended by the template, as before.
    expect(render('returnRejected', 'en', { reason: 'it was engraved with your name' }).text).toMatch(/with your name\.(?!\.)/);
  });

  it('does not apologise to a customer for their own withdrawal', () => {
    const m = render('requestWithdrawn', 'zh-CN', { caseId: 'c-1' });
    expect(m.text).not.toContain('深表歉意');
    expect(m.text).toContain('感谢');
  });

  it('reads the item names of an order snapshot, leaving out items without one', () => {
    expect(itemNamesOf({ items: [{ sku: 'OIL-5', name: ' 花生油 5L ' }, { sku: 'X', name: '' }, { sku: 'Y' }] })).toEqual({ 'OIL-5': '花生油 5L' });
    expect(itemNamesOf(null)).toEqual({});
  });

  it('shows nothing but its declared parameters, and never expands a placeholder inside a value', () => {
    const m = render('returnRejected', 'en', { reason: 'opened {caseId}', phone: '13800000000', customerName: '张三' });
    expect(m.text).toContain('Reason: opened {caseId}.');
    expect(m.text).not.toContain('13800000000');
    expect(m.text).not.toContain('张三');
  });

  it('the revisit asks for a 1–5 rating', () => {
    expect(render('revisit', 'zh-CN', { answerBy: at }).text).toMatch(/1–5/);
    expect(render('revisit', 'en', { answerBy: at }).text).toMatch(/from 1 to 5/);
    // And what silence does, and what a low score does (the rule every wait's message follows).
    expect(render('revisitSilenceCloses', 'zh-CN', { answerBy: at }).text).toMatch(/1–5.*逾期未回复，本次售后将按现有结果结案.*请打低分，我们会重新为您处理/);
    expect(render('revisitSilenceCloses', 'en', { answerBy: at }).text).toMatch(/from 1 to 5.*closed as it stands.*give a low score and we will look at it again/);
  });
});

describe('the workflows', () => {
  it('notify only with templates that exist', () => {
    const used = new Set<string>();
    const dynamic: string[] = [];
    for (const file of readdirSync('workflows').filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(`workflows/${file}`, 'utf8');
      for (const m of source.matchAll(/\.notify\(/g)) {
        // The template argument: a literal, a choice between literals, or a constant of this file that holds them.
        const arg = firstArgument(source, m.index! + m[0].length);
        if (arg.includes('`')) dynamic.push(`${file}: ${arg}`);
        const named = [...arg.matchAll(/\b([A-Za-z_]\w*)\b/g)].map((i) => declaration(source, i[1]!)).join(' ');
        for (const l of `${arg} ${named}`.matchAll(/'([a-z][A-Za-z]+)'/g)) used.add(l[1]!);
      }
    }
    // Names built from parts cannot be checked: every one is written out.
    expect(dynamic).toEqual([]);
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((t) => !isTemplateName(t))).toEqual([]);
    // The test reads the choices and constants as well as plain literals.
    expect([...used]).toEqual(expect.arrayContaining(['caseClosedByAgent', 'qualityDiscountWithRepairSilenceAccepts', 'wrongItemChoiceKeep', 'traceRefusedOrUnreachable']));
  });
});

/** The source of the call's first argument, from `start` (just after its opening parenthesis) to the comma or parenthesis that ends it. */
function firstArgument(source: string, start: number): string {
  let depth = 0;
  let quote = '';
  for (let i = start; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === quote && source[i - 1] !== '\\') quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return source.slice(start, i);
      depth--;
    } else if (c === ',' && depth === 0) return source.slice(start, i);
  }
  return source.slice(start);
}

/** The initialiser of `const name = …;` in the file (up to its first semicolon at the end of a line), or ''. */
function declaration(source: string, name: string): string {
  const m = new RegExp(`const ${name}\\b[^=]*=([\\s\\S]*?);\\n`).exec(source);
  return m?.[1] ?? '';
}
