// session.svelte.ts holds the state (runes need a .svelte.ts module); this is its public name.
export * from './session.svelte';
