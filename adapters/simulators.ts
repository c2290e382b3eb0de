/** Kept so existing imports (`worker/`, `app/`, `test/activities/`) keep working; new code imports `./simulators/index.js`. */
export * from './simulators/index.js';
