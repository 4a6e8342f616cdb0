// api.js: the one way the pages talk to the server (/api/v1, docs/api-contract.md).
// Cookies are HttpOnly, so requests go same-origin with credentials; writes carry X-CSRF-Token.
// Errors become ApiError with the server's {code, message, field}; the message is already in
// the user's language (we send Accept-Language), so pages show it as it is.

export const API_BASE = '/api/v1'

let csrfToken = ''
let language = 'zh-CN'
let unauthorizedHandler = null

export function setCsrfToken(t) { csrfToken = t || '' }
export function setApiLanguage(l) { language = l || 'zh-CN' }
export function onUnauthorized(fn) { unauthorizedHandler = fn }

const FALLBACK = {
  'zh-CN': {
    network: '无法连接服务器，请检查网络后重试',
    400: '请求内容有误',
    401: '登录已失效，请重新登录',
    403: '没有权限执行此操作',
    404: '记录不存在',
    409: '数据冲突，请刷新后重试',
    413: '文件或内容过大',
    422: '不符合规则',
    429: '操作过于频繁，请稍后再试',
    500: '服务器出错，请稍后再试',
    503: '服务暂不可用，请稍后再试',
    other: '请求失败',
  },
  en: {
    network: 'Cannot reach the server. Check the network and try again.',
    400: 'Invalid request',
    401: 'Your session has expired. Please sign in again.',
    403: 'You are not allowed to do this',
    404: 'Not found',
    409: 'Conflict: please reload and try again',
    413: 'The file or content is too large',
    422: 'A rule was broken',
    429: 'Too many attempts, please try again later',
    500: 'Server error, please try again later',
    503: 'Service unavailable, please try again later',
    other: 'Request failed',
  },
}

function fallbackMessage(status) {
  const m = FALLBACK[language] || FALLBACK['zh-CN']
  return m[status] || m.other
}

export class ApiError extends Error {
  constructor({ status, code, message, field, details, retryAfter }) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code || ''
    this.field = field || ''
    this.details = details || null // the whole body, e.g. the import's {errors:[...]}
    this.retryAfter = retryAfter || null
  }
}

export function buildUrl(path, query) {
  const url = new URL(API_BASE + path, window.location.origin)
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x))
      else url.searchParams.set(k, String(v))
    }
  }
  return url.pathname + url.search
}

async function send(url, init) {
  try {
    return await fetch(url, init)
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError({ status: 0, code: 'network', message: fallbackMessage('network') })
  }
}

// The one place a failed answer becomes an ApiError (JSON error body or the status's fallback).
function failure(res, path, data) {
  const e = (data && data.error) || {}
  let message = e.message || fallbackMessage(res.status)
  const retryAfter = res.headers.get('Retry-After')
  if (res.status === 429 && retryAfter && !e.message) {
    message += language === 'en' ? ` (${retryAfter} s)` : `（${retryAfter} 秒后可重试）`
  }
  const err = new ApiError({
    status: res.status, code: e.code, message, field: e.field, details: data, retryAfter,
  })
  if (res.status === 401 && unauthorizedHandler && !path.startsWith('/auth/login')) {
    unauthorizedHandler(err)
  }
  return err
}

export async function request(method, path, { query, body, signal, headers: extra, onResponse } = {}) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': language === 'en' ? 'en' : 'zh-CN',
    ...(extra || {}),
  }
  const init = { method, headers, credentials: 'same-origin', signal }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken

  const res = await send(buildUrl(path, query), init)
  if (onResponse) onResponse(res)
  // 304 Not Modified (a conditional GET with If-None-Match): nothing new, the caller keeps its copy.
  if (res.status === 304) return null
  let data = null
  const type = res.headers.get('Content-Type') || ''
  if (type.includes('application/json')) {
    try { data = await res.json() } catch { data = null }
  }
  if (!res.ok) throw failure(res, path, data)
  return data
}

// A file (XLSX, PDF, CSV): the same language, errors and sign-out handling as request.
// Answers { blob, filename } with the name from Content-Disposition (UTF-8 form first).
export async function requestFile(path, query, fallbackName = 'download') {
  const headers = { 'Accept-Language': language === 'en' ? 'en' : 'zh-CN' }
  const res = await send(buildUrl(path, query), { method: 'GET', headers, credentials: 'same-origin' })
  if (!res.ok) {
    let data = null
    try { data = await res.json() } catch { data = null }
    throw failure(res, path, data)
  }
  const blob = await res.blob()
  let filename = fallbackName
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  if (star) { try { filename = decodeURIComponent(star[1]) } catch { /* keep */ } } else if (plain) filename = plain[1]
  return { blob, filename }
}

// Like request, but also answers the response headers we care about (ETag, Idempotent-Replayed).
export async function requestWithMeta(method, path, opts = {}) {
  let meta = {}
  const data = await request(method, path, {
    ...opts,
    onResponse: (r) => { meta = { etag: r.headers.get('ETag') || '', replayed: r.headers.get('Idempotent-Replayed') === 'true', status: r.status } },
  })
  return { data, ...meta }
}

export const get = (path, query, opts) => request('GET', path, { ...opts, query })
export const post = (path, body, opts) => request('POST', path, { ...opts, body: body ?? {} })
export const put = (path, body, opts) => request('PUT', path, { ...opts, body: body ?? {} })
export const del = (path, opts) => request('DELETE', path, opts)

// A search box's answers can arrive out of order (the empty query sent when a dialog opens, then
// what the user typed): each call of the function returned starts a search and returns a check
// that stays true only while no later search has started, so a stale answer is dropped.
export function newestOnly() {
  let n = 0
  return () => {
    const mine = ++n
    return () => mine === n
  }
}

// The server answers /auth/login with {token, csrf_token, user} and /auth/me with the user plus
// csrf_token; accept both {user:{...}, csrf_token} and a flat {...user, csrf_token}.
export function splitSession(data) {
  if (!data) return { user: null, csrf: '' }
  const user = data.user && typeof data.user === 'object' ? data.user : data
  const csrf = data.csrf_token || (user && user.csrf_token) || ''
  return { user, csrf }
}
