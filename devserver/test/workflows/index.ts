export * from './basic.js';
export * from './children.js';
export * from './search.js';
export * from './ui.js';
export * from './time-skipping.js';
export * from './with-start.js';
export * from './schedules.js';
export * from './nexus.js';
