// attendance.js: helpers of the teacher's roll call pages and the guardian's leave page.
export const MARKS = ['present', 'late', 'absent', 'leave']

// 'YYYY-MM-DD' plus n days (calendar arithmetic in UTC, no time zone involved).
export function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
// ISO weekday 1..7 of a 'YYYY-MM-DD'.
export function weekdayOf(date) {
  const w = new Date(`${date}T00:00:00Z`).getUTCDay()
  return w === 0 ? 7 : w
}
// "<course> <section>", or the section alone when its name starts with the course's.
export function sectionName(s) {
  return s.section && s.section.startsWith(s.course) ? s.section : `${s.course} ${s.section}`
}
// The status a roster line starts with on the phone: its mark, else leave, else present (the
// teacher taps only the exceptions).
export function initialStatus(line) {
  return line.mark || (line.on_leave ? 'leave' : 'present')
}
export function countOf(statuses) {
  const c = { present: 0, late: 0, absent: 0, leave: 0 }
  for (const s of Object.values(statuses)) c[s] = (c[s] || 0) + 1
  return c
}
