import adapter from '@sveltejs/adapter-static';

/**
 * The console: a single-page app written to ./build and served by the API at /console/
 * (api/routes/console-pages.ts answers index.html for every path that is not a file).
 */
const config = {
  kit: {
    adapter: adapter({
      pages: 'build',
      assets: 'build',
      fallback: 'index.html',
      // .br and .gz beside each file, served by the API when the browser takes them (no CPU per request).
      precompress: true,
      strict: true,
    }),
    paths: { base: '/console', relative: false },
    serviceWorker: { register: false },
    version: { pollInterval: 0 },
    // The API's Content-Security-Policy allows scripts from 'self' plus the hashes of index.html's
    // inline blocks; SvelteKit's bootstrap block is the only one.
  },
};

export default config;
