// Builds the console into ../dist/app, which the server serves at `/`. Everything is bundled:
// nothing is loaded from a CDN at run time.
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
});
