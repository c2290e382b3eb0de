/**
 * The name warehouse work is signed with (scanned by, checked by, packed by…), kept in this browser:
 * on a shared warehouse PC each clerk types theirs once, and every form starts with it — not with
 * the key's label, which names the desk, not the person.
 */
const STORAGE = 'aftersales.console.scannedBy';

export const rememberedClerk = (fallback: string): string => (typeof localStorage === 'undefined' ? fallback : localStorage.getItem(STORAGE) || fallback);

export function rememberClerk(name: string): void {
  if (typeof localStorage !== 'undefined' && name.trim()) localStorage.setItem(STORAGE, name.trim());
}
