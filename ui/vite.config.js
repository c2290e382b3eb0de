import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  define: {
    // The UI calls `${origin}${VITE_API}/api/v1/...`: empty means same origin.
    'import.meta.env.VITE_API': JSON.stringify(''),
    // 'local' = a self-hosted server (not Temporal Cloud).
    'import.meta.env.VITE_TEMPORAL_UI_BUILD_TARGET': JSON.stringify('local'),
  },
  build: {
    // the Temporal UI pulls in large editor bundles; that is expected
    chunkSizeWarningLimit: 4000,
  },
  server: { fs: { allow: ['node_modules/@temporalio/ui'] } },
});
