// make bench-daily: the demo school's dismissal peak (issue 13 §7) against a real `kehou serve`,
// on SQLite or PostgreSQL (under scripts/with-postgres).
//   node bench/daily/run.mjs --kehou build/kehou --db sqlite|postgres [--runs 3] [--roster-rate N]
// Each run: a fresh demo database; setup (8 gate devices through the API; a card for every child
// and 300 guardian accounts written with SQL: the bench's own fixtures, the guardians cloning the
// demo guardian's password hash; on PostgreSQL then VACUUM ANALYZE, `settle`); then "one at a time" (each kind alone: `alone_*`, CPU and, on
// PostgreSQL, statements per request); then the peak twice, each time all at once:
//   - 60 teachers each saving whole rosters (the day's sessions of the demo school, ~45 children;
//     saved with the office's session, which may edit any session of the week) 5 times: 300 saves;
//   - 8 gate devices sending 2,400 swipes (every child once, some twice) in batches of 50 as fast
//     as the server acknowledges them (10 minutes of the gate compressed into seconds);
//   - 200 guardians polling their child's status every 500 ms (GET /pickup/my-children and
//     GET /attendance/leaves) until the rest is done;
//   - 100 guardians announcing 我到了 (POST /pickup/arrivals) over the first second, 20 of them
//     twice (the phone's retry: answered `already`); each peak has its own 100 guardians.
// The two peaks differ only in how the roster saves are sent:
//   1. closed loop (capacity; the peak as sessions 11-15 ran it): each teacher sends their next
//      save as soon as the last is answered, so ~60 saves are always queued at the writer and the
//      latency is the queue the bench builds itself (Little's law: latency ~ 60 / saves per
//      second): `roster_saves_closed_per_s` (saves answered per second of the saves' span: the
//      capacity) and `roster_save_closed_p50_ms`/`_p99_ms`, `status_closed_p99_ms`,
//      `arrival_closed_p99_ms`, `swipes_closed_per_s` (the peak's other kinds beside it);
//   2. open loop (the figures, as bench/select's point 7): a teacher's latency is that of a
//      save arriving at a rate the scenario states. The 300 saves happen over the dismissal's 10
//      real minutes (0.5/s); the bench compresses time 60x (one real minute per second: 10 minutes
//      into 10 s), so they arrive at 30 saves/s, Poisson (exponential gaps, a fixed seed: the same
//      schedule for every run and binary), arrival i being teacher i % 60's next save. Each save is
//      timed from its scheduled send time: a save held back because that teacher's previous one
//      is still running counts its wait (no coordinated omission). `roster_rate_per_s` (30),
//      `roster_compression` (60), `roster_saves_open_per_s` (answered per second: below the rate
//      when the server cannot keep up), `roster_save_p50_ms`/`_p99_ms`, and the other kinds'
//      `status_p99_ms`, `arrival_p99_ms`, `swipes_per_s` are of this peak. The rate comes from the
//      scenario, never from a result; `--roster-rate N` gives another only to compare two builds
//      at one rate side by side (the JSON then has `"roster_rate_given":true`).
// Per run (not in the last line): `roster_saves_in_swipes` (open-loop saves sent while the gates'
// batches were still arriving), how many of them took over 20 ms (`roster_saves_in_swipes_over_20ms`),
// their slowest (`roster_save_in_swipes_max_ms`) and the later saves over 20 ms
// (`roster_saves_after_swipes_over_20ms`): the burst's share of the p99 (session 18).
// The second peak's saves mark other children late (so they change marks as the first's do).
// Then a dedicated ingest phase: 8 devices send 24,000 swipes in batches of 50, each device its next
// batch as soon as the last is answered, nothing else running (swipes stored per second; the
// issue's "swipe batch ingest"; `swipes_per_s` stays the rate at the mixed peak).
// Then the crash: 8 devices send a further 2,400 swipes; when half are acknowledged the server is
// killed with SIGKILL; on restart every acknowledged swipe must be stored (lost), the devices resend
// EVERYTHING (acknowledged or not, as a reader that lost its state would), and each uid must be
// stored exactly once (double). A roster save acknowledged before the kill must be there too.
// KEHOU_TRACE=<file>: the server appends a line per request (where its time went: queue, pool,
// statements, commit, SQLite's writer; http/trace_log.h) and the bench prints the open peak's span;
// `bench/daily/trace.py <file> <bench output>` sums it up per request kind (session 20).
// Prints per run the figures, then one JSON line (medians over the runs) as §7 asks.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import http from 'node:http'
import { parseArgs } from 'node:util'

const { values: opt } = parseArgs({ options: {
  kehou: { type: 'string', default: 'build/kehou' }, db: { type: 'string', default: 'sqlite' },
  runs: { type: 'string', default: '3' }, web: { type: 'string', default: 'web/dist' },
  // http: node:http with keep-alive (cheap per request); fetch: undici's fetch (the first version's
  // client, ~2x the CPU per request: on 2 shared cores the load generator itself capped the figures).
  client: { type: 'string', default: 'http' },
  // --roster-rate N: the open-loop peak's saves per second instead of the scenario's (only to
  // compare two builds at another rate side by side; the JSON then says so).
  'roster-rate': { type: 'string' },
} })
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026'
const TEACHERS = 60, SAVES_PER_TEACHER = 5, DEVICES = 8, SWIPES = 2400, BATCH = 50, GUARDIANS = 200, POLL_MS = 500
const ARRIVALS = 100  // guardians announcing 我到了 during the peak (POST /pickup/arrivals)
// The open-loop peak's roster saves: the scenario's 300 saves (60 teachers x 5) happen over the
// dismissal's 10 real minutes (0.5 saves/s); the bench compresses time by COMPRESSION, one real
// minute into each second (10 minutes into 10 s), so the saves arrive at 30/s. Fixed by the
// scenario and stated here, not tuned to any result.
const PEAK_REAL_S = 600, COMPRESSION = 60
const ROSTER_RATE = opt['roster-rate'] ? Number(opt['roster-rate']) : TEACHERS * SAVES_PER_TEACHER / (PEAK_REAL_S / COMPRESSION)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10)
const pct = (xs, p) => { if (!xs.length) return 0; const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))] }
const median = (xs) => pct(xs, 50)
const r1 = (x) => Math.round(x * 10) / 10
const r2 = (x) => Math.round(x * 100) / 100

// CPU seconds a process has used so far (utime + stime from /proc, clock ticks of 100 Hz).
function procCpuS(pid) {
  try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100 } catch { return 0 }
}

// Seconds the threads of a process have waited on a run queue (ready but not running: the CPU
// taken by everything else on the machine), from /proc/PID/task/*/schedstat.
function runqWaitS(pid) {
  let ns = 0
  try { for (const t of readdirSync(`/proc/${pid}/task`)) { try { ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[1]) } catch { /* gone */ } } } catch { /* gone */ }
  return ns / 1e9
}

// PostgreSQL's side (postgres only): the CPU seconds of the cluster (the postmaster and all its
// children: backends, WAL writer, checkpointer) and, when pg_stat_statements is loaded
// (KEHOU_PG_OPTS="-c shared_preload_libraries=pg_stat_statements"), the statements run so far.
function pgProbe(db) {
  if (opt.db === 'sqlite') return null
  const stat = (pid) => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ') } catch { return null } }
  // The postmaster: the parent of the checkpointer (long-lived, unlike a psql's backend).
  const checkpointer = Number(db.sql(`SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'`))
  const postmaster = Number(stat(checkpointer)?.[1] || 0)
  let statements = false
  try { db.sql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'); db.sql('SELECT pg_stat_statements_reset()'); statements = true } catch { /* not loaded */ }
  return {
    // The postmaster's own CPU, its reaped children's (cutime, cstime: exited backends and
    // autovacuum workers) and its live children's, in seconds.
    cpu: () => {
      const pm = stat(postmaster)
      if (!pm) return NaN
      let s = (Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14])) / 100
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue
        const f = stat(d)
        if (f && Number(f[1]) === postmaster) s += (Number(f[11]) + Number(f[12])) / 100
      }
      return s
    },
    // Statements by the server's connections (not this probe's psql).
    statements: () => statements ? Number(db.sql(`SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_activity%'`)) : NaN,
  }
}

function freePort() {
  return new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)) }) })
}

// The database of one run and SQL on it (sqlite3 / psql command lines).
function makeDb(run) {
  if (opt.db === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kehou-bench-daily-'))
    const file = join(dir, 'bench.db')
    return { url: `sqlite:${file}`, sql: (q) => execFileSync('sqlite3', ['-cmd', '.timeout 30000', file, q], { encoding: 'utf8' }).trim(), drop: () => rmSync(dir, { recursive: true, force: true }) }
  }
  const admin = process.env.KEHOU_TEST_PG
  if (!admin) throw new Error('postgres: run under scripts/with-postgres')
  const psql = join(process.env.KEHOU_PG_BIN || '/usr/lib/postgresql/15/bin', 'psql')
  const name = `bench_daily_${process.pid}_${run}`
  execFileSync(psql, [admin, '-qc', `CREATE DATABASE ${name}`])
  const url = admin.replace(/\/[^/?]+(\?|$)/, `/${name}$1`)
  return { url, sql: (q) => execFileSync(psql, [url, '-qAtc', q], { encoding: 'utf8' }).trim(),
    drop: () => { try { execFileSync(psql, [admin, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]) } catch { /* gone */ } } }
}

// KEHOU_BENCH_SERVE_ARGS: more `kehou serve` options (e.g. "--write-workers 16"), to compare settings
// of one binary side by side.
const SERVE_ARGS = (process.env.KEHOU_BENCH_SERVE_ARGS || '').split(' ').filter(Boolean)

async function startServer(db, port) {
  const child = spawn(opt.kehou, ['serve', '--db', db.url, '--listen', `127.0.0.1:${port}`, '--web', opt.web, '--quiet', '--trust-proxy', ...SERVE_ARGS],
    { stdio: ['ignore', 'ignore', 'pipe'] })
  child.stderr.on('data', () => {})
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) return { child, base } } catch { /* not yet */ }
    await sleep(100)
  }
  throw new Error('the server did not start')
}

function client(base) {
  if (opt.client === 'fetch') return fetchClient(base)
  const u = new URL(base)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 })
  // `raw`: a body serialised beforehand (the peak's bodies are built before it starts, so the load
  // generator spends its CPU on sending, not on JSON.stringify); `parse: false` skips JSON.parse of
  // an answer only its status is needed from. The time is taken at the answer's last byte.
  return (method, path, { token, body, raw, headers, parse = true } = {}) => new Promise((ok, fail) => {
    const h = { ...(headers || {}) }
    if (token) h.Authorization = `Bearer ${token}`
    const data = raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body)
    if (data !== undefined) { h['Content-Type'] = 'application/json'; h['Content-Length'] = Buffer.byteLength(data) }
    const t0 = performance.now()
    const req = http.request({ host: u.hostname, port: u.port, method, path: '/api/v1' + path, headers: h, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('error', fail)
      res.on('end', () => {
        const ms = performance.now() - t0
        let json = null
        if (parse) try { json = JSON.parse(Buffer.concat(chunks).toString()) } catch { /* not JSON */ }
        ok({ status: res.statusCode, json, ms })
      })
    })
    req.on('error', fail)
    req.end(data)
  })
}

function fetchClient(base) {
  return async (method, path, { token, body, raw, headers } = {}) => {
    const h = { ...(headers || {}) }
    if (token) h.Authorization = `Bearer ${token}`
    if (body !== undefined || raw !== undefined) h['Content-Type'] = 'application/json'
    const t0 = performance.now()
    const res = await fetch(base + '/api/v1' + path, { method, headers: h, body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    let json = null
    try { json = JSON.parse(text) } catch { /* not JSON */ }
    return { status: res.status, json, ms: performance.now() - t0 }
  }
}

async function login(api, who) {
  const r = await api('POST', '/auth/login', { body: { login: who, password: PASSWORD } })
  if (r.status !== 200) throw new Error(`login ${who}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json.token
}

async function setup(db, api) {
  db.sql(`INSERT INTO attendance_cards (school_id, card_no, student_id, created_at) SELECT school_id, 'C' || id, id, 0 FROM students WHERE school_id = 1`)
  db.sql(`INSERT INTO users (login, password_hash, display_name, role, school_id, guardian_id, disabled, must_change_password, created_at, updated_at)
    SELECT 'bench-g' || g.id, (SELECT password_hash FROM users WHERE role = 'guardian' ORDER BY id LIMIT 1), g.name, 'guardian',
    (SELECT school_id FROM users WHERE role = 'guardian' ORDER BY id LIMIT 1), g.id, 0, 0, 0, 0 FROM guardians g
    WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.guardian_id = g.id)
    AND EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = g.id AND sg.school_id = 1) ORDER BY g.id LIMIT ${GUARDIANS + ARRIVALS}`)
  const office = await login(api, 'office')
  const devices = []
  for (let i = 0; i < DEVICES; i++) {
    const r = await api('POST', '/attendance/devices', { token: office, body: { name: `压测闸机 ${i + 1}` } })
    devices.push(`Device ${r.json.key}`)
  }
  const cards = db.sql('SELECT card_no FROM attendance_cards WHERE school_id = 1 ORDER BY card_no').split('\n')
  // The day of the past week whose editable sessions hold the most children (the office may still
  // save their rolls).
  let day = null, sessions = [], best = 0
  for (let i = 0; i <= 7; i++) {
    const d = localDate(Date.now() - i * 86400000)
    const r = await api('GET', `/attendance/sessions?date=${d}`, { token: office })
    const list = (r.json?.items || []).filter((s) => s.editable && !s.cancelled && s.counts?.total > 0)
    const n = list.reduce((a, s) => a + s.counts.total, 0)
    if (n > best) { best = n; day = d; sessions = list }
  }
  if (!sessions.length) throw new Error('no editable session with children in the past week')
  const rosters = []
  for (const s of sessions) {
    const r = await api('GET', `/attendance/sessions/${s.section_id}/roster?date=${day}&band=${s.band}`, { token: office })
    const ids = (r.json?.items || []).map((c) => c.student_id)
    if (ids.length) rosters.push({ section: s.section_id, band: s.band, ids })
  }
  const guardians = [], children = []
  for (const l of db.sql(`SELECT login FROM users WHERE login LIKE 'bench-g%' ORDER BY id`).split('\n').filter(Boolean)) {
    const token = await login(api, l)
    const r = await api('GET', '/pickup/my-children', { token })
    guardians.push(token)
    children.push(r.json?.items?.[0]?.child?.id ?? null)
  }
  return { office, devices, cards, day, rosters, guardians, children }
}

// 2,400 swipes (every card once, then again from the start), spread over the devices in batches.
function swipeBatches(cards, prefix) {
  const now = Date.now()
  const per = Array.from({ length: DEVICES }, () => [])
  for (let i = 0; i < SWIPES; i++) {
    per[i % DEVICES].push({ uid: `${prefix}-${i}`, card_no: cards[i % cards.length], at_ms: now - 600000 + Math.floor(i * 600000 / SWIPES) })
  }
  return per.map((list) => { const b = []; for (let i = 0; i < list.length; i += BATCH) b.push(list.slice(i, i + BATCH)); return b })
}

// The roster saves' send times of the open-loop peak: SAVES arrivals at a fixed mean rate
// (Poisson: exponential gaps, a fixed seed so every run and binary gets the same schedule), in ms
// from the peak's start; arrival i is teacher i % TEACHERS's save floor(i / TEACHERS).
function saveSchedule(rate) {
  let seed = 20261205
  const rand = () => { seed = (seed + 0x6D2B79F5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
  const at = []
  let t = 0
  for (let i = 0; i < TEACHERS * SAVES_PER_TEACHER; i++) { t += -Math.log(1 - rand()) * 1000 / rate; at.push(t) }
  return at
}

// The peak. mode 'open' (the figures): the roster saves arrive open-loop at ROSTER_RATE
// (saveSchedule), each timed from its scheduled send time; mode 'closed' (capacity): each teacher
// sends their next save as soon as the last is answered. `arrivers`: the guardians announcing
// 我到了 (each phase its own, so neither answers `already`); `shift` moves the late marks so a
// phase's saves change marks as the first phase's do.
async function peak(api, fx, srv, { mode, arriverTokens, arriverChildren, shift = 0 }) {
  const roster = [], status = [], childStatus = [], leaves = []
  const rosterStatus = []  // saves answered 200: their answer's time (closed-loop throughput)
  const rosterAt = []  // [send time after the peak's start, latency] of each save answered 200
  // Who is busy during the peak: the server's and this load generator's CPU seconds over the wall
  // time (on 2 shared cores a load generator near 1 core caps the figures it measures).
  // KEHOU_BENCH_PERF=FILE records the server's peak with `perf record -g` (profiling the peak).
  const perf = await perfStart(srv, 'peak')
  const cpu0 = { node: process.cpuUsage(), server: procCpuS(srv.child.pid), wall: performance.now(),
    srvWait: runqWaitS(srv.child.pid), nodeWait: runqWaitS(process.pid) }
  let done = false, errors = 0
  const errorKinds = {}
  // Every body of the peak is serialised before it starts (what is sent is unchanged).
  const saveBodies = Array.from({ length: TEACHERS }, (_, t) => Array.from({ length: SAVES_PER_TEACHER }, (_, k) => {
    const r = fx.rosters[(t + k * TEACHERS) % fx.rosters.length]
    const marks = r.ids.map((id, i) => ({ student_id: id, status: (i + k + shift) % 15 === 0 ? 'late' : 'present' }))
    return { path: `/attendance/sessions/${r.section}/roll`, raw: JSON.stringify({ date: fx.day, band: r.band, marks }) }
  }))
  const batches = swipeBatches(fx.cards, `peak${mode}${Date.now()}`).map((list) => list.map((swipes) => JSON.stringify({ swipes })))
  const schedule = mode === 'open' ? saveSchedule(ROSTER_RATE) : null
  const t0 = performance.now()
  let savesEnd = t0
  const saves = saveBodies.map(async (mine, t) => {
    for (let k = 0; k < mine.length; k++) {
      const b = mine[k]
      // Open loop: wait for this save's send time (none if the teacher's previous save ran past it);
      // its latency counts from that time, so a wait behind the previous save is counted.
      let from = null
      if (schedule) {
        from = t0 + schedule[k * TEACHERS + t]
        const wait = from - performance.now()
        if (wait > 0) await sleep(wait)
      }
      const sent = performance.now()
      const res = await api('PUT', b.path, { token: fx.office, raw: b.raw, parse: false })
      const end = sent + res.ms
      savesEnd = Math.max(savesEnd, end)
      if (res.status !== 200) { errors++; errorKinds[`save ${res.status}`] = (errorKinds[`save ${res.status}`] || 0) + 1 } else { roster.push(from === null ? res.ms : end - from); rosterAt.push([(from ?? sent) - t0, roster[roster.length - 1]]) }
    }
  })
  let accepted = 0
  const gates = batches.map(async (list, d) => {
    const headers = { Authorization: fx.devices[d] }
    for (const raw of list) {
      const res = await api('POST', '/attendance/swipes', { headers, raw })
      if (res.status !== 200) { errors++; errorKinds[`swipes ${res.status}`] = (errorKinds[`swipes ${res.status}`] || 0) + 1 } else accepted += res.json.accepted + res.json.duplicate
    }
  })
  const gatesDone = Promise.all(gates).then(() => performance.now() - t0)
  // 100 guardians announce their arrival (我到了) once, spread over the first second, and 20 of
  // them tap it a second time (the phone's retry: answered `already`, never queued twice).
  const arrival = [], arrivedChild = new Set()
  const arrivers = arriverTokens.map(async (token, i) => {
    const child = arriverChildren[i]
    if (!child) return
    await sleep(i * 1000 / ARRIVALS)
    for (let k = 0; k < (i % 5 === 0 ? 2 : 1); k++) {
      const res = await api('POST', '/pickup/arrivals', { token, raw: `{"student_id":${child}}`, parse: false })
      if (res.status !== 200) { errors++; errorKinds[`arrival ${res.status}`] = (errorKinds[`arrival ${res.status}`] || 0) + 1 } else { arrival.push(res.ms); arrivedChild.add(child) }
    }
  })
  // 200 guardians poll their child's status of the day (GET /pickup/my-children: arrived, session,
  // queue position, left with whom) and their leave requests.
  const polls = fx.guardians.slice(0, GUARDIANS).map(async (token, i) => {
    await sleep(i * POLL_MS / GUARDIANS)
    while (!done) {
      for (const p of ['/pickup/my-children', '/attendance/leaves']) {
        const res = await api('GET', p, { token, parse: false })
        if (res.status !== 200) { errors++; errorKinds[`${p} ${res.status}`] = (errorKinds[`${p} ${res.status}`] || 0) + 1 } else { status.push(res.ms); (p === '/pickup/my-children' ? childStatus : leaves).push(res.ms) }
      }
      await sleep(POLL_MS)
    }
  })
  const swipeMs = await gatesDone
  await Promise.all(saves)
  await Promise.all(arrivers)
  done = true
  await Promise.all(polls)
  const wall = (performance.now() - cpu0.wall) / 1000, nodeCpu = process.cpuUsage(cpu0.node)
  const cpu = { peak_s: wall, node_cpu: (nodeCpu.user + nodeCpu.system) / 1e6 / wall, server_cpu: (procCpuS(srv.child.pid) - cpu0.server) / wall,
    server_runq_s: runqWaitS(srv.child.pid) - cpu0.srvWait, node_runq_s: runqWaitS(process.pid) - cpu0.nodeWait }
  await perfStop(perf)
  // The saves sent while the gates' batches were still arriving (session 18: at the start of the
  // peak the batches held the write workers) against the rest: how many took over 20 ms.
  const inSwipes = rosterAt.filter(([at]) => at < swipeMs)
  const swipeSaves = { n: inSwipes.length, over20: inSwipes.filter(([, ms]) => ms > 20).length,
    max: inSwipes.reduce((m, [, ms]) => Math.max(m, ms), 0), over20_after: rosterAt.filter(([at, ms]) => at >= swipeMs && ms > 20).length }
  return { swipeSaves, errorKinds, roster, status, childStatus, leaves, arrival, arrived: arrivedChild, swipes_per_s: accepted / (swipeMs / 1000), swipe_ms: swipeMs, accepted, errors, cpu,
    saves_per_s: roster.length / ((savesEnd - t0) / 1000), saves_s: (savesEnd - t0) / 1000 }
}

// KEHOU_BENCH_PERF=FILE records the server with `perf record -g` during one phase:
// KEHOU_BENCH_PERF_PHASE peak (default) or ingest; KEHOU_BENCH_PERF_ARGS (default "-F 999").
async function perfStart(srv, phase) {
  if (!process.env.KEHOU_BENCH_PERF || (process.env.KEHOU_BENCH_PERF_PHASE || 'peak') !== phase) return null
  const perf = spawn('perf', ['record', ...(process.env.KEHOU_BENCH_PERF_ARGS || '-F 999').split(' '), '-g', '-p', String(srv.child.pid), '-o', process.env.KEHOU_BENCH_PERF], { stdio: 'ignore' })
  await sleep(500)
  return perf
}
async function perfStop(perf) {
  if (perf) { perf.kill('SIGINT'); await new Promise((ok) => perf.on('exit', ok)) }
}

// The same requests one kind at a time with nothing else running (what the peak's contention
// costs): 2,400 swipes from 8 devices in batches of kMaxSwipeBatch (500), and 60 roster saves
// one after the other.
async function alone(api, fx, srv, pg) {
  const cpu = () => procCpuS(srv.child.pid)
  // PostgreSQL's CPU and statements per request of each kind (postgres only).
  const pgOf = {}
  let pg0 = null
  // (The statement count runs a psql outside the CPU window: its backend is not counted.)
  const pgStart = () => { if (pg) { const st = pg.statements(); pg0 = { st, cpu: pg.cpu() } } }
  const pgEnd = (kind, n) => { if (pg) { const cpu = pg.cpu(); pgOf[kind] = { pg_cpu_ms: r2((cpu - pg0.cpu) * 1000 / n), statements: r2((pg.statements() - pg0.st) / n) } } }
  const cards = fx.cards
  const now = Date.now()
  const prefix = `alone${now}`
  const all = Array.from({ length: SWIPES }, (_, i) => ({ uid: `${prefix}-${i}`, card_no: cards[i % cards.length], at_ms: now - 60000 }))
  let c0 = cpu()
  pgStart()
  const t0 = performance.now()
  let accepted = 0
  await Promise.all(Array.from({ length: DEVICES }, async (_, d) => {
    const mine = all.filter((_, i) => i % DEVICES === d)
    for (let i = 0; i < mine.length; i += 500) {
      const res = await api('POST', '/attendance/swipes', { headers: { Authorization: fx.devices[d] }, body: { swipes: mine.slice(i, i + 500) } })
      if (res.status === 200) accepted += res.json.accepted
    }
  }))
  const swipesPerS = accepted / ((performance.now() - t0) / 1000)
  const swipeCpuUs = (cpu() - c0) * 1e6 / SWIPES
  pgEnd('swipe_batch_of_300', DEVICES)
  const saves = []
  c0 = cpu()
  pgStart()
  for (let k = 0; k < TEACHERS; k++) {
    const r = fx.rosters[k % fx.rosters.length]
    const marks = r.ids.map((id) => ({ student_id: id, status: k % 2 ? 'late' : 'present' }))
    const res = await api('PUT', `/attendance/sessions/${r.section}/roll`, { token: fx.office, body: { date: fx.day, band: r.band, marks } })
    if (res.status === 200) saves.push(res.ms)
  }
  const saveCpuMs = (cpu() - c0) * 1000 / TEACHERS
  pgEnd('roster_save', TEACHERS)
  // 100 arrivals (the guardians the peak does not use), then the status polls with that queue.
  const arrivals = []
  c0 = cpu()
  pgStart()
  for (let k = ARRIVALS; k < 2 * ARRIVALS && k < fx.guardians.length; k++) {
    if (!fx.children[k]) continue
    arrivals.push((await api('POST', '/pickup/arrivals', { token: fx.guardians[k], body: { student_id: fx.children[k] } })).ms)
  }
  const arrivalCpuMs = (cpu() - c0) * 1000 / Math.max(1, arrivals.length)
  pgEnd('arrival', Math.max(1, arrivals.length))
  const status = []
  c0 = cpu()
  pgStart()
  const N = 1000
  for (let k = 0; k < N; k++) status.push((await api('GET', '/pickup/my-children', { token: fx.guardians[k % GUARDIANS] })).ms)
  const statusCpuMs = (cpu() - c0) * 1000 / N
  pgEnd('status', N)
  return { swipes_per_s: swipesPerS, roster_p99: pct(saves, 99), status_p99: pct(status, 99), arrival_p99: pct(arrivals, 99),
    cpu_per_swipe_us: swipeCpuUs, cpu_per_save_ms: saveCpuMs, cpu_per_arrival_ms: arrivalCpuMs, cpu_per_status_ms: statusCpuMs, pg: pgOf }
}

// The dedicated ingest phase: 8 devices each sending batches of BATCH swipes as fast as they are
// answered (a device sends its next batch when the last is acknowledged), INGEST_SWIPES in all
// (every card about ten times, each with its own uid), bodies serialised beforehand. Nothing else
// runs. Reports swipes stored per second of wall time, the server's CPU per swipe and the cores the
// server and this load generator used.
const INGEST_SWIPES = 24000
async function ingest(api, fx, srv, db, pg) {
  const prefix = `ingest${Date.now()}`
  const now = Date.now()
  const per = Array.from({ length: DEVICES }, () => [])
  for (let i = 0; i < INGEST_SWIPES; i++)
    per[i % DEVICES].push({ uid: `${prefix}-${i}`, card_no: fx.cards[i % fx.cards.length], at_ms: now - 60000 - (i % 1000) })
  const bodies = per.map((list) => { const b = []; for (let i = 0; i < list.length; i += BATCH) b.push(JSON.stringify({ swipes: list.slice(i, i + BATCH) })); return b })
  const perf = await perfStart(srv, 'ingest')
  const node0 = process.cpuUsage(), srv0 = procCpuS(srv.child.pid), pgc0 = pg ? pg.cpu() : 0, t0 = performance.now()
  let acked = 0, errors = 0
  const batchMs = []
  await Promise.all(bodies.map(async (list, d) => {
    const headers = { Authorization: fx.devices[d] }
    for (const raw of list) {
      const res = await api('POST', '/attendance/swipes', { headers, raw })
      if (res.status !== 200) errors++; else { acked += res.json.accepted; batchMs.push(res.ms) }
    }
  }))
  const wall = (performance.now() - t0) / 1000
  const node = process.cpuUsage(node0)
  const pgCores = pg ? (pg.cpu() - pgc0) / wall : null
  await perfStop(perf)
  const stored = Number(db.sql(`SELECT COUNT(*) FROM attendance_swipes WHERE uid LIKE '${prefix}-%'`))
  return { swipes_per_s: stored / wall, acked, stored, errors, batch_p99_ms: pct(batchMs, 99), wall_s: wall,
    cpu_per_swipe_us: (procCpuS(srv.child.pid) - srv0) * 1e6 / INGEST_SWIPES,
    pg_cores: pgCores, server_cores: (procCpuS(srv.child.pid) - srv0) / wall, loadgen_cores: (node.user + node.system) / 1e6 / wall }
}

// The crash: half the swipes acknowledged, SIGKILL, restart, check, resend everything, count.
async function crash(db, srv, port, fx) {
  let api = client(srv.base)
  const prefix = `crash${Date.now()}`
  const batches = swipeBatches(fx.cards, prefix)
  const acked = new Set()
  let sent = 0, killed = false
  const ackedSave = []
  const killer = (async () => {
    while (acked.size < SWIPES / 2) await sleep(2)
    srv.child.kill('SIGKILL')
    killed = true
  })()
  const gates = batches.map(async (list, d) => {
    for (const swipes of list) {
      if (killed) return
      try {
        sent++
        const res = await api('POST', '/attendance/swipes', { headers: { Authorization: fx.devices[d] }, body: { swipes } })
        if (res.status === 200) for (const s of swipes) acked.add(s.uid)
      } catch { return }  // the server is gone
    }
  })
  const saver = (async () => {
    for (let k = 0; !killed; k++) {
      const r = fx.rosters[k % fx.rosters.length]
      const marks = r.ids.map((id) => ({ student_id: id, status: k % 2 ? 'late' : 'present' }))
      try {
        const res = await api('PUT', `/attendance/sessions/${r.section}/roll`, { token: fx.office, body: { date: fx.day, band: r.band, marks } })
        if (res.status === 200) ackedSave.push({ r, status: k % 2 ? 'late' : 'present' })
      } catch { return }
    }
  })()
  await Promise.all([...gates, killer, saver])
  await new Promise((ok) => { if (srv.child.exitCode !== null || srv.child.signalCode) ok(); else srv.child.on('exit', ok) })
  const restarted = await startServer(db, port)
  api = client(restarted.base)
  const q = (sql) => db.sql(sql)
  const stored = new Set(q(`SELECT uid FROM attendance_swipes WHERE uid LIKE '${prefix}-%'`).split('\n').filter(Boolean))
  let lost = 0
  for (const u of acked) if (!stored.has(u)) lost++
  // The last acknowledged save of each session must be what is stored.
  const last = new Map()
  for (const s of ackedSave) last.set(`${s.r.section}:${s.r.band}`, s)
  let rosterLost = 0
  for (const s of last.values()) {
    const n = Number(q(`SELECT COUNT(*) FROM attendance_marks WHERE school_id = 1 AND section_id = ${s.r.section} AND day = '${fx.day}' AND band = '${s.r.band}' AND status = '${s.status}'`))
    if (n < s.r.ids.length) rosterLost++
  }
  // Every device resends everything it had.
  for (let d = 0; d < DEVICES; d++)
    for (const swipes of batches[d]) await api('POST', '/attendance/swipes', { headers: { Authorization: fx.devices[d] }, body: { swipes } })
  const total = Number(q(`SELECT COUNT(*) FROM attendance_swipes WHERE uid LIKE '${prefix}-%'`))
  const distinct = Number(q(`SELECT COUNT(DISTINCT uid) FROM attendance_swipes WHERE uid LIKE '${prefix}-%'`))
  return { server: restarted, acked: acked.size, swipes_lost: lost + (SWIPES - distinct), swipes_double: total - distinct, roster_lost: rosterLost, sent }
}

// PostgreSQL: VACUUM ANALYZE, as bench/select does after its load. A school's database has planner
// statistics and vacuumed tables long before the dismissal (autovacuum keeps them); this one was
// loaded seconds ago, so autovacuum's first pass over every table of the new database (and, on the
// small tables the bench's earlier phases have just grown, its analyzes) would land in whichever
// phase runs a minute later, and each analyze makes every connection plan its statements on that
// table afresh (session 23: the first pass ran in the open peak of one run in four traced,
// +4.9-5.4 s, with the run's three slowest roster saves at 18-33 ms beside it). Run after the setup
// and again after the requests one at a time (the day's earlier swipes and saves, compressed into
// seconds), so the closed-loop peak plans every connection's statements on the new statistics
// before the open one: an ANALYZE just before the open peak put that planning into its first
// second (tried: 7 saves over 20 ms in the gates' burst in each of three runs, against 0-3).
function settle(db) {
  if (opt.db !== 'sqlite') db.sql('VACUUM ANALYZE')
}

async function oneRun(run) {
  const db = makeDb(run)
  let srv = null
  try {
    execFileSync(opt.kehou, ['demo', '--db', db.url], { stdio: 'ignore' })
    const port = await freePort()
    srv = await startServer(db, port)
    const api = client(srv.base)
    const fx = await setup(db, api)
    settle(db)
    const pg = pgProbe(db)
    const a = await alone(api, fx, srv, pg)
    settle(db)
    // First the closed loop (capacity: the peak as sessions 11-15 ran it), then the open loop
    // (the figures): each with its own 100 guardians announcing 我到了.
    const cl = await peak(api, fx, srv, { mode: 'closed', arriverTokens: fx.guardians.slice(0, ARRIVALS), arriverChildren: fx.children.slice(0, ARRIVALS) })
    const openStart = Date.now()
    const p = await peak(api, fx, srv, { mode: 'open', arriverTokens: fx.guardians.slice(GUARDIANS, GUARDIANS + ARRIVALS),
      arriverChildren: fx.children.slice(GUARDIANS, GUARDIANS + ARRIVALS), shift: 7 })
    // KEHOU_TRACE (the server's per-request trace): the open peak's span, for bench/daily/trace.py.
    if (process.env.KEHOU_TRACE) console.log(`trace: open peak ${openStart} ${Date.now()}`)
    const arrived = new Set([...cl.arrived, ...p.arrived])
    // Each announced child is in today's queue exactly once.
    const today = localDate(Date.now())
    const queued = Number(db.sql(`SELECT COUNT(*) FROM pickup_arrivals WHERE school_id = 1 AND day = '${today}'`))
    const queuedDistinct = Number(db.sql(`SELECT COUNT(DISTINCT student_id) FROM pickup_arrivals WHERE school_id = 1 AND day = '${today}'`))
    // After the peak (its swipes would otherwise sit in the day the peak reads).
    const g = await ingest(api, fx, srv, db, pg)
    const c = await crash(db, srv, port, fx)
    srv = c.server
    const sizes = fx.rosters.map((r) => r.ids.length)
    const out = {
      run, day: fx.day, sessions: fx.rosters.length, roster_median_children: median(sizes), roster_saves: p.roster.length,
      roster_rate_per_s: ROSTER_RATE, roster_saves_open_per_s: r1(p.saves_per_s), roster_save_p50_ms: r1(pct(p.roster, 50)), roster_save_p99_ms: r1(pct(p.roster, 99)),
      roster_saves_in_swipes: p.swipeSaves.n, roster_saves_in_swipes_over_20ms: p.swipeSaves.over20, roster_save_in_swipes_max_ms: r1(p.swipeSaves.max),
      roster_saves_after_swipes_over_20ms: p.swipeSaves.over20_after,
      roster_saves_closed_per_s: r1(cl.saves_per_s), roster_save_closed_p50_ms: r1(pct(cl.roster, 50)), roster_save_closed_p99_ms: r1(pct(cl.roster, 99)),
      status_closed_p99_ms: r1(pct(cl.status, 99)), arrival_closed_p99_ms: r1(pct(cl.arrival, 99)), swipes_closed_per_s: Math.round(cl.swipes_per_s),
      peak_closed_s: r1(cl.cpu.peak_s), peak_closed_server_runq_s: r1(cl.cpu.server_runq_s),
      swipes_per_s: Math.round(p.swipes_per_s), swipe_phase_ms: Math.round(p.swipe_ms), swipes_accepted: p.accepted,
      arrivals: p.arrival.length, arrival_p50_ms: r1(pct(p.arrival, 50)), arrival_p99_ms: r1(pct(p.arrival, 99)),
      arrivals_lost: Math.max(0, arrived.size - queuedDistinct), arrivals_double: queued - queuedDistinct,
      status_requests: p.status.length, status_p50_ms: r1(pct(p.status, 50)), status_p99_ms: r1(pct(p.status, 99)),
      child_status_p99_ms: r1(pct(p.childStatus, 99)), leaves_p99_ms: r1(pct(p.leaves, 99)),
      ingest_swipes_per_s: Math.round(g.swipes_per_s), ingest_batch: BATCH, ingest_stored: g.stored, ingest_acked: g.acked,
      ingest_errors: g.errors, ingest_batch_p99_ms: r1(g.batch_p99_ms), ingest_cpu_per_swipe_us: r1(g.cpu_per_swipe_us),
      ingest_server_cores: Math.round(g.server_cores * 100) / 100, ingest_pg_cores: g.pg_cores === null ? null : r2(g.pg_cores), pg_per_request: a.pg, ingest_loadgen_cores: Math.round(g.loadgen_cores * 100) / 100,
      errors: p.errors + cl.errors, error_kinds: p.errorKinds, error_kinds_closed: cl.errorKinds, crash_acked_before_kill: c.acked, swipes_lost: c.swipes_lost, swipes_double: c.swipes_double,
      roster_saves_lost: c.roster_lost,
      peak_s: r1(p.cpu.peak_s), peak_server_cores: Math.round(p.cpu.server_cpu * 100) / 100, peak_loadgen_cores: Math.round(p.cpu.node_cpu * 100) / 100,
      peak_server_runq_s: r1(p.cpu.server_runq_s), peak_loadgen_runq_s: r1(p.cpu.node_runq_s), load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      alone_swipes_per_s: Math.round(a.swipes_per_s), alone_roster_save_p99_ms: r1(a.roster_p99), alone_status_p99_ms: r1(a.status_p99),
      alone_arrival_p99_ms: r1(a.arrival_p99),
      // Server CPU per request (CPU seconds over a sequence of one kind: far less noisy than latency
      // on a shared machine).
      cpu_per_swipe_us: r1(a.cpu_per_swipe_us), cpu_per_save_ms: r1(a.cpu_per_save_ms),
      cpu_per_arrival_ms: Math.round(a.cpu_per_arrival_ms * 100) / 100, cpu_per_status_ms: Math.round(a.cpu_per_status_ms * 100) / 100,
    }
    console.log(`run ${run} (${opt.db}): ${JSON.stringify(out)}`)
    return out
  } finally {
    if (srv) { srv.child.kill('SIGTERM'); await new Promise((ok) => { if (srv.child.exitCode !== null) ok(); else srv.child.on('exit', ok) }) }
    db.drop()
  }
}

const runs = []
for (let i = 1; i <= Number(opt.runs); i++) runs.push(await oneRun(i))
const m = (k) => median(runs.map((r) => r[k]))
const lostAll = Math.max(...runs.map((r) => r.swipes_lost + r.roster_saves_lost + r.arrivals_lost + (r.ingest_acked - r.ingest_stored)))
console.log(JSON.stringify({ bench: 'daily', db: opt.db === 'sqlite' ? 'sqlite' : 'postgresql', roster_save_p99_ms: m('roster_save_p99_ms'),
  roster_rate_per_s: ROSTER_RATE, roster_rate_given: Boolean(opt['roster-rate']), roster_compression: COMPRESSION, roster_saves_open_per_s: m('roster_saves_open_per_s'),
  roster_saves_closed_per_s: m('roster_saves_closed_per_s'), roster_save_closed_p99_ms: m('roster_save_closed_p99_ms'),
  status_closed_p99_ms: m('status_closed_p99_ms'), arrival_closed_p99_ms: m('arrival_closed_p99_ms'), swipes_closed_per_s: m('swipes_closed_per_s'),
  swipes_per_s: m('swipes_per_s'), ingest_swipes_per_s: m('ingest_swipes_per_s'), status_p99_ms: m('status_p99_ms'),
  child_status_p99_ms: m('child_status_p99_ms'), leaves_p99_ms: m('leaves_p99_ms'), arrival_p99_ms: m('arrival_p99_ms'),
  ingest_cpu_per_swipe_us: m('ingest_cpu_per_swipe_us'), ingest_server_cores: m('ingest_server_cores'), ingest_loadgen_cores: m('ingest_loadgen_cores'),
  roster_save_p50_ms: m('roster_save_p50_ms'), status_p50_ms: m('status_p50_ms'),
  arrivals_lost: Math.max(...runs.map((r) => r.arrivals_lost)), arrivals_double: Math.max(...runs.map((r) => r.arrivals_double)),
  peak_server_cores: m('peak_server_cores'), peak_loadgen_cores: m('peak_loadgen_cores'), load1: m('load1'), swipes_lost: Math.max(...runs.map((r) => r.swipes_lost)),
  swipes_double: Math.max(...runs.map((r) => r.swipes_double)), lost: lostAll,
  alone_roster_save_p99_ms: m('alone_roster_save_p99_ms'), alone_swipes_per_s: m('alone_swipes_per_s'), alone_status_p99_ms: m('alone_status_p99_ms'),
  cpu_per_swipe_us: m('cpu_per_swipe_us'), cpu_per_save_ms: m('cpu_per_save_ms'), cpu_per_arrival_ms: m('cpu_per_arrival_ms'), cpu_per_status_ms: m('cpu_per_status_ms') }))
