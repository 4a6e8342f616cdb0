// usePaged: a server-side paged list ({items,total,page,page_size}) with filters, loading state
// and errors shown in Chinese (the server's error.message).
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { get, buildUrl } from '../shared/api.js'
import { useAuth } from './auth.js'

export function usePaged(path, initialFilters = {}, { pageSize = 20 } = {}) {
  const auth = useAuth()
  const items = ref([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const loaded = ref(false)
  const filters = reactive({ ...initialFilters })
  let seq = 0

  async function load() {
    const my = ++seq
    loading.value = true
    try {
      const query = { ...auth.scope(), page: page.value, page_size: size.value }
      for (const [k, v] of Object.entries(filters)) {
        if (v !== '' && v !== null && v !== undefined) query[k] = typeof v === 'string' ? v.trim() : v
      }
      const data = await get(typeof path === 'function' ? path() : path, query)
      if (my !== seq) return
      items.value = data.items || []
      total.value = data.total ?? items.value.length
      loaded.value = true
    } catch (e) {
      if (my === seq) ElMessage.error(e.message)
    } finally {
      if (my === seq) loading.value = false
    }
  }
  function search() { page.value = 1; return load() }
  function reset() {
    for (const k of Object.keys(filters)) filters[k] = initialFilters[k] ?? ''
    return search()
  }
  function onPage(p) { page.value = p; return load() }
  function onSize(s) { size.value = s; page.value = 1; return load() }
  return { items, total, page, size, loading, loaded, filters, load, search, reset, onPage, onSize }
}

// Downloads a file from a GET endpoint (cookie session, same origin). Errors come back as JSON
// and are shown like every other error.
export async function downloadFile(path, query, fallbackName) {
  let res
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin', headers: { 'Accept-Language': document.documentElement.lang === 'en' ? 'en' : 'zh-CN' } })
  } catch {
    ElMessage.error(document.documentElement.lang === 'en' ? 'Cannot reach the server' : '无法连接服务器，请检查网络后重试')
    return false
  }
  if (!res.ok) {
    let msg = `HTTP ${res.status}`
    try { const d = await res.json(); if (d && d.error && d.error.message) msg = d.error.message } catch { /* not JSON */ }
    ElMessage.error(msg)
    return false
  }
  const blob = await res.blob()
  let name = fallbackName
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  if (star) { try { name = decodeURIComponent(star[1]) } catch { /* keep */ } } else if (plain) name = plain[1]
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  return true
}
