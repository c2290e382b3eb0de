import defaultTheme from 'tailwindcss/defaultTheme';
import temporal, { textStyles } from './node_modules/@temporalio/ui/dist/theme/plugin.js';

/** @type {import('tailwindcss').Config} */
export default {
  // our own routes plus every component of the package (it ships no CSS of its own)
  content: [
    './src/**/*.{html,js,svelte}',
    './node_modules/@temporalio/ui/dist/**/*.{svelte,js}',
  ],
  darkMode: ['selector', '[data-theme="dark"]'],
  theme: {
    extend: {
      fontFamily: {
        sans: ['Inter Variable', ...defaultTheme.fontFamily.sans],
        mono: ['Noto Sans Mono', ...defaultTheme.fontFamily.mono],
      },
    },
  },
  plugins: [temporal, textStyles],
};
