// Vite config: one app, one index.html. Paths under /m/ load the guardian phone pages (Vant),
// everything else the console (Element Plus); src/main.js picks one by location.pathname.
// Element Plus components are imported on demand (unplugin-vue-components), each with its CSS.
// After the build every text file of 1 KB or more gets a brotli (.br) and a gzip (.gz) copy
// beside it; the server sends one when the browser's Accept-Encoding allows.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

const api = process.env.KEHOU_API || 'http://127.0.0.1:8080'
const here = path.dirname(fileURLToPath(import.meta.url))
// The message sections the phone pages use (t('sel.…'), route titles, …): the phone bundle
// carries only these, not the console's.
const PHONE_LOCALE_SECTIONS = ['app', 'common', 'password', 'phone', 'roles', 'sel', 'apply', 'survey', 'att', 'mfees', 'sf', 'pk', 'mtt', 'mledger', 'mpay', 'msub']

// virtual:kehou-phone-locale/<lang>: src/shared/locales/<lang>.js cut to PHONE_LOCALE_SECTIONS.
function phoneLocales() {
  const prefix = 'virtual:kehou-phone-locale/'
  return {
    name: 'kehou-phone-locale',
    resolveId(id) { return id.startsWith(prefix) ? `\0${id}` : undefined },
    async load(id) {
      if (!id.startsWith(`\0${prefix}`)) return undefined
      const lang = id.slice(prefix.length + 1)
      const file = path.join(here, 'src/shared/locales', `${lang}.js`)
      this.addWatchFile(file)
      const all = (await import(`${pathToFileURL(file).href}?v=${statSync(file).mtimeMs}`)).default
      const picked = Object.fromEntries(PHONE_LOCALE_SECTIONS.filter((k) => k in all).map((k) => [k, all[k]]))
      return `export default ${JSON.stringify(picked)}`
    },
  }
}
const COMPRESS_MIN_BYTES = 1024
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listFiles(p) : [p]
  })
}

// Writes <file>.br and <file>.gz for the compressible files of outDir (only when smaller).
function precompress() {
  let outDir = 'dist'
  return {
    name: 'kehou-precompress',
    apply: 'build',
    configResolved(config) { outDir = path.resolve(config.root, config.build.outDir) },
    closeBundle() {
      for (const file of listFiles(outDir)) {
        if (!COMPRESSIBLE.test(file) || statSync(file).size < COMPRESS_MIN_BYTES) continue
        const raw = readFileSync(file)
        const br = brotliCompressSync(raw, {
          params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length, [zc.BROTLI_PARAM_MODE]: zc.BROTLI_MODE_TEXT },
        })
        const gz = gzipSync(raw, { level: 9 })
        if (br.length < raw.length) writeFileSync(`${file}.br`, br)
        if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz)
      }
    },
  }
}

export default defineConfig({
  plugins: [
    vue(),
    phoneLocales(),
    Components({
      dirs: [],
      dts: false,
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
    }),
    precompress(),
  ],
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
