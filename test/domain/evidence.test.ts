import { describe, expect, it } from 'vitest';
import { evidenceKindOf, evidenceKinds } from '../../domain/evidence.js';

describe('evidenceKindOf', () => {
  it('files an unboxing video as a video, whatever the case of its extension', () => {
    expect(evidenceKindOf('https://evidence.example.com/SO-1/unboxing.mp4')).toBe('video');
    expect(evidenceKindOf('https://evidence.example.com/SO-1/IMG_0042.MOV')).toBe('video');
    expect(evidenceKindOf('https://cdn.example.com/v/clip.webm?sig=abc.jpg#t=3')).toBe('video');
  });

  it('keeps photos, files without an extension and look-alike names as photos', () => {
    expect(evidenceKindOf('https://evidence.example.com/SO-1/crack.jpg')).toBe('photo');
    expect(evidenceKindOf('https://evidence.example.com/SO-1/upload-77')).toBe('photo');
    expect(evidenceKindOf('https://evidence.example.com/mp4/crack.png?format=mp4')).toBe('photo');
    expect(evidenceKindOf('https://evidence.example.com/SO-1/.mp4')).toBe('photo');
  });
});

describe('evidenceKinds', () => {
  it('gives each file its own kind when the sender does not say, and the sender’s word when it does', () => {
    const urls = ['https://e.example/a.jpg', 'https://e.example/b.mp4'];
    expect(evidenceKinds(urls)).toEqual(['photo', 'video']);
    expect(evidenceKinds(urls, 'receipt')).toEqual(['receipt', 'receipt']);
  });
});
