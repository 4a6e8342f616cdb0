// usePaged: a server-side paged list ({items,total,page,page_size}) with filters, loading state
// and errors shown in Chinese (the server's error.message).
import { reactive, ref } from 'vue'
import { get, requestFile } from '../shared/api.js'
import { showError } from './errors.js'
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
      if (my === seq) showError(e)
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
  let blob, name
  try {
    ({ blob, filename: name } = await requestFile(path, query, fallbackName))
  } catch (e) {
    showError(e)
    return false
  }
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
