export * from './basic.js';
export * from './children.js';
export * from './search.js';
export * from './ui.js';
