/**
 * The reader's language, as Svelte 5 state: what t() and label() read, so every text on the page
 * follows a switch at once. Chosen from navigator.language (zh* → zh-CN, else en) until the person
 * picks one, which is kept in localStorage.
 */
export type Lang = 'en' | 'zh-CN';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export const LANG_STORAGE = 'aftersales.console.lang';

function initial(): Lang {
  if (typeof window === 'undefined') return 'en';
  const kept = localStorage.getItem(LANG_STORAGE);
  if (kept === 'en' || kept === 'zh-CN') return kept;
  return (navigator.language ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const state = $state<{ lang: Lang }>({ lang: initial() });

export const currentLang = (): Lang => state.lang;

export function setLang(lang: Lang): void {
  state.lang = lang;
  localStorage.setItem(LANG_STORAGE, lang);
  document.documentElement.lang = lang;
}

if (typeof document !== 'undefined') document.documentElement.lang = state.lang;
