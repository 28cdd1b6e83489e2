// Builds the web client into dist/, which the server serves at `/`. Workspace packages resolve
// through their "source" export condition, so this build reads their TypeScript directly and
// does not need them compiled first. Text files are also written brotli and gzip compressed
// (x.js.br, x.js.gz) at the highest levels, once here, so the server sends the smaller file
// without compressing on every request.
import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

export default defineConfig({
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'] })],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: {
    // `npm run dev -w @parley/web` next to a server on 8080: the page talks to it through /ws.
    proxy: { '/ws': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
