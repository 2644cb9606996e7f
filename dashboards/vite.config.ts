// The nurses' dashboard: Vite + Preact + TypeScript, built into dashboards/dist, which the hub
// serves at `/` (index.html, assets under /assets/). `vite` (dev) proxies the API and socket.io
// to a running hub: HUB_URL, default http://127.0.0.1:8080.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const hub = process.env.HUB_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: hub, changeOrigin: false },
      '/socket.io': { target: hub, ws: true },
    },
  },
});
