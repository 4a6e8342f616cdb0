// Browser scenario of the grid's live check against standby duties (issue 12 §4, session 12).
// (tt3) The office drags a section onto a slot where its own AB backup teaches or supervises a
// basic-service group: refused live, the hint names the backup's duty (AB岗冲突); and a section
// whose teacher supervises a group onto that group's slot: refused (教师冲突 … 看管). Both cases
// always run: when the demo has none (the solver gives standby duties to teachers without a
// section), the office first makes one through the grid (a set-up move that only changes one
// session's teacher). The refused drags store nothing.
import { Steps, check, currentTermId, dragAndDrop } from './lib.mjs'
import { apiLogin } from './enroll.mjs'
import { accounts, asStaff } from './flows.mjs'

export async function ttDutiesScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'tt3')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  try {
    const office = await apiLogin(request, officeLogin, password)
    const term = await currentTermId(office)
    const grid = (await office('GET', `/timetable/terms/${term}`)).body
    const sections = grid.items.filter((x) => x.kind === 'section' && !x.locked && x.teacher_staff_id)
    const elsewhere = (a, b) => a.day !== b.day || a.hour !== b.hour
    // A section whose teacher supervises a group at another slot; a section whose backup teaches
    // or supervises at another slot.
    let supervise = null
    let busy = null
    for (const a of sections) {
      const g = grid.items.find((x) => x.kind === 'basic' && x.teacher_staff_id === a.teacher_staff_id && elsewhere(a, x))
      if (!supervise && g) supervise = { a, at: g }
      const b = a.backup_staff_id && grid.items.find((x) => x.teacher_staff_id === a.backup_staff_id && elsewhere(a, x))
      if (!busy && b) busy = { a, at: b }
    }
    // The solver gives supervision and backups to teachers without a section when it can, so after
    // a re-solve (the API tests run one) no backup may have another duty. Then the office gives
    // that duty through the grid itself: another section's session, kept in its place, is taught
    // by a's backup (a move that only changes the teacher, as the office may).
    if (!busy) {
      for (const a of sections.filter((x) => x.backup_staff_id)) {
        for (const y of sections.filter((x) => x.section_id !== a.section_id && elsewhere(a, x))) {
          const r = await office('PUT', `/timetable/terms/${term}/placement`, {
            section_id: y.section_id, session_no: y.session_no, weekday: grid.days[y.day].weekday,
            band: grid.bands[y.hour].code, room_id: y.room_id ?? null, teacher_staff_id: a.backup_staff_id,
          })
          if (r.status === 200) { busy = { a, at: y }; break }
        }
        if (busy) break
      }
    }
    check(busy, 'a section whose AB backup has another duty (or can be given one)')
    // Likewise a section teacher who supervises: a session of another section (not busy's two),
    // kept in its place, is taught by a group's supervising teacher (a small school short of staff).
    // (Regenerating the groups, as the API tests do, keeps the supervisor of every group whose
    // slot and class are unchanged: Db/TermTimetable.RegeneratedGroupsKeepTheirSupervisorAndRoom.)
    if (!supervise) supervise = await giveSupervisorASession(office, term, grid, sections, busy, elsewhere)
    check(supervise, 'a section whose teacher supervises a basic-service group (or can be given one)')
    const placed = async (a) => (await office('GET', `/timetable/terms/${term}`)).body.items.find((x) => x.section_id === a.section_id && x.session_no === a.session_no)
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await page.goto(`${base}/select/timetable`)
      await page.locator('[data-test=tt-card]').first().waitFor()
      const card = (a) => page.locator(`[data-test=tt-card][data-section-id="${a.section_id}"][data-session-no="${a.session_no}"]`)
      const cellOf = (x) => page.locator(`[data-test=tt-cell][data-weekday="${grid.days[x.day].weekday}"][data-band="${grid.bands[x.hour].code}"]`)
      const drag = (src, dst) => dragAndDrop(page, src, dst)
      await steps.run('drag-onto-supervision-refused', page, async () => {
        const { a, at } = supervise
        await drag(card(a), cellOf(at))
        // The drop's refusal (the hover hint before it names the same rules without it).
        await page.locator('[data-test=tt-hint]', { hasText: '不能移动到此处' }).filter({ hasText: '看管' }).waitFor()
        const hint = await page.locator('[data-test=tt-hint]').textContent()
        // Only supervise_clash reads "教师冲突：<teacher> 在<slot>看管「<group>」".
        check(hint.includes('不能移动到此处') && /教师冲突：[^；]*看管「/.test(hint), `refused, the group named: ${hint}`)
        const now = await placed(a)
        check(now.day === a.day && now.hour === a.hour, 'nothing moved')
      })
      await steps.run('drag-where-backup-busy-refused', page, async () => {
        const { a, at } = busy
        await drag(card(a), cellOf(at))
        await page.locator('[data-test=tt-hint]', { hasText: '不能移动到此处' }).filter({ hasText: 'AB岗冲突' }).waitFor()
        const hint = await page.locator('[data-test=tt-hint]').textContent()
        check(hint.includes('不能移动到此处'), `refused, the backup named: ${hint}`)
        const now = await placed(a)
        check(now.day === a.day && now.hour === a.hour, 'nothing moved')
      })
    })
  } finally {
    await request.dispose()
  }
}

// A session of a section, kept in its place, taught by the supervising teacher of a basic-service
// group at another slot (PUT placement with teacher_staff_id, as the office may); the first such
// change the grid accepts. In the demo that is a morning session (a supervisor works the
// after-school band on their two days), so the later drag also breaks the room and band rules;
// the step checks the supervision is named among them. { a: the session as it is now, at: the
// group } or null.
async function giveSupervisorASession(office, term, grid, sections, busy, elsewhere) {
  // The group's teacher must be free at the session's own place (no duty of theirs there).
  const busyAt = (t, y) => grid.items.some((x) => x.teacher_staff_id === t && x.day === y.day && x.hour === y.hour)
  const avoid = new Set([busy.a.section_id, busy.at.section_id])
  for (const g of grid.items.filter((x) => x.kind === 'basic' && x.teacher_staff_id)) {
    for (const y of sections.filter((x) => !avoid.has(x.section_id) && elsewhere(g, x) && !busyAt(g.teacher_staff_id, x))) {
      const r = await office('PUT', `/timetable/terms/${term}/placement`, {
        section_id: y.section_id, session_no: y.session_no, weekday: grid.days[y.day].weekday,
        band: grid.bands[y.hour].code, room_id: y.room_id ?? null, teacher_staff_id: g.teacher_staff_id,
      })
      if (r.status === 200) return { a: { ...y, teacher_staff_id: g.teacher_staff_id }, at: g }
    }
  }
  return null
}
