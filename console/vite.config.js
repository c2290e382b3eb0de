import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  build: {
    // ECharts is one large module, loaded only by the supervisor's pages
    chunkSizeWarningLimit: 1200,
  },
});
