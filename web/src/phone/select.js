// select.js: small helpers for the course-selection phone pages.

// A round's phase as the guardian sees it: the server's upcoming/open/closed, plus allocated
// once a preference round's results are out.
export function phaseOf(r) {
  if (!r) return ''
  if (r.allocated_at) return 'allocated'
  return r.phase || 'closed'
}

export function fmtMs(ms) {
  if (!ms) return ''
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return String(ms)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}月${d.getDate()}日 ${p(d.getHours())}:${p(d.getMinutes())}`
}

// One idempotency key per tap (reused for that tap's retries). crypto.randomUUID needs a secure
// context; over plain http on a school LAN fall back to getRandomValues.
export function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID()
  const b = new Uint8Array(16)
  window.crypto.getRandomValues(b)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

// Retries a write after a network failure or a 5xx/503/429 answer with the same body (and so
// the same idempotency key): the server answers a replay instead of taking a second seat.
export async function withRetry(fn, { tries = 3, onRetry } = {}) {
  let last
  for (let i = 0; i < tries; i++) {
    try {
      return await fn()
    } catch (e) {
      last = e
      const transient = e && (e.status === 0 || e.status === 429 || e.status >= 500)
      if (!transient || i === tries - 1) throw e
      if (onRetry) onRetry(i + 1, e)
      await new Promise((r) => setTimeout(r, 500 * (i + 1)))
    }
  }
  throw last
}
