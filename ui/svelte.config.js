import adapter from '@sveltejs/adapter-static';

/** SvelteKit config: a pure single-page app written to ./build. */
const config = {
  kit: {
    adapter: adapter({
      pages: 'build',
      assets: 'build',
      // every unknown path gets index.html; the server must do the same
      fallback: 'index.html',
      precompress: false,
      strict: true,
    }),
    paths: { base: '' },
    // The dev server answers everything on the same origin; no service worker.
    serviceWorker: { register: false },
    // no version polling against a server that does not serve _app/version.json fresh
    version: { pollInterval: 0 },
  },
};

export default config;
