// Vite config: one app, one index.html. Paths under /m/ load the guardian phone pages (Vant),
// everything else the console (Element Plus); src/main.js picks one by location.pathname.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const api = process.env.KEHOU_API || 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
    target: ['chrome87', 'edge88', 'firefox78', 'safari14'],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
  preview: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
})
