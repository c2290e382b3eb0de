import { describe, expect, it } from 'vitest';
import { isHttpIri } from '../../api/http-iri.js';

describe('isHttpIri', () => {
  it('takes http(s) links as storefronts hand them over: non-ASCII paths and hosts, or percent-encoded', () => {
    for (const link of [
      'https://img.shop.example.cn/售后/开箱.jpg',
      'https://例子.中国/证据/1.mp4',
      'https://img.shop.example.cn/%E5%94%AE%E5%90%8E/1.jpg?sig=abc&w=800#top',
      'http://127.0.0.1:8080/a.png',
    ]) expect(isHttpIri(link), link).toBe(true);
  });

  it('refuses other schemes, links without a host, white space, control characters and the characters kept out of an IRI', () => {
    for (const link of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'ftp://files.example.com/a.jpg',
      'https://',
      'https:///path-only.jpg',
      'https://evidence.example.com/zh/hand over.jpg',
      'https://evidence.example.com/全角　空格.jpg',
      'https://evidence.example.com/a\u0000.jpg',
      'https://evidence.example.com/"onmouseover=x.jpg',
      'https://evidence.example.com/<b>.jpg',
      'https://evidence.example.com\\a.jpg',
      'not a link',
    ]) expect(isHttpIri(link), link).toBe(false);
  });
});
