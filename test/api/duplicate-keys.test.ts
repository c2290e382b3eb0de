import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../api/duplicate-keys.js';

describe('a key repeated in a JSON object', () => {
  it('is found with its path, at any depth, however the key is spelled', () => {
    expect(firstDuplicateKey('{"a":1,"a":2}')).toBe('body.a');
    expect(firstDuplicateKey('{"x":{"y":[0,{"k":1,"\\u006b":2}]}}')).toBe('body.x.y[1].k');
    expect(firstDuplicateKey('[{"a":1},{"b":[{"c":1},{"c":2,"c":3}]}]')).toBe('body[1].b[1].c');
  });

  it('is named printably and briefly; a body deeper than the API takes is left to the depth check', () => {
    expect(firstDuplicateKey('{"a\\u202eb":1,"a\\u202eb":2}')).toBe('body.a\\u202eb');
    const long = 'k'.repeat(5_000);
    expect(firstDuplicateKey(`{"${long}":1,"${long}":2}`)).toBe(`body.${'k'.repeat(64)}…`);
    expect(firstDuplicateKey(`${'['.repeat(100)}{"a":1,"a":2}${']'.repeat(100)}`)).toBeUndefined();
  });

  it('is not seen in strings, values, or the same key in sibling objects', () => {
    expect(firstDuplicateKey('{"a":"a","b":"{\\"a\\":1,\\"a\\":2}","c":{"a":1},"d":[{"a":1},{"a":2}]}')).toBeUndefined();
    expect(firstDuplicateKey('{"a,b":1,"a":{"a":"}"},"b":"]","c":"\\\\"}')).toBeUndefined();
    expect(firstDuplicateKey('"a"')).toBeUndefined();
    expect(firstDuplicateKey('{}')).toBeUndefined();
  });
});
