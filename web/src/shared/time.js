// time.js: instants shown in school-local time (China Standard Time, UTC+8 all year, no DST; the
// server's kSchoolUtcOffsetMs in src/core/time.h). Accepts epoch milliseconds or an ISO 8601 string;
// the browser's own time zone plays no part.
export const SCHOOL_UTC_OFFSET_MS = 8 * 3600 * 1000

const pad = (n) => String(n).padStart(2, '0')

// 1764839385000 or "2025-12-04T09:09:45Z" -> "2025-12-04 17:09:45"; '' for nothing or junk.
export function schoolTime(v) {
  if (v === null || v === undefined || v === '') return ''
  const ms = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v))
  if (!Number.isFinite(ms)) return ''
  const d = new Date(ms + SCHOOL_UTC_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

// The school's date today (or `days` later) as YYYY-MM-DD. Computed, not formatted through Intl:
// locale date patterns (e.g. en-CA) differ between ICU versions.
export function schoolDate(days = 0) {
  const d = new Date(Date.now() + SCHOOL_UTC_OFFSET_MS + days * 86400 * 1000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}
