// fields.js: the server names a field in error.field; normalise "bands.2.end_time",
// "bands[2].end_time" and "/bands/2/end_time" to "bands[2].end_time" so pages can match it.
export function normField(f) {
  if (!f) return ''
  let s = String(f).replace(/^\//, '').replace(/\//g, '.')
  s = s.replace(/\.(\d+)(?=\.|$)/g, '[$1]')
  return s
}

// "bands[2].end_time" -> { list: 'bands', index: 2, prop: 'end_time' }
export function splitField(f) {
  const m = /^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?$/i.exec(normField(f))
  if (!m) return null
  return { list: m[1], index: Number(m[2]), prop: m[3] || '' }
}
