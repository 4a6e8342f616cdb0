#!/usr/bin/env node
// Browser tests: playwright-core driving Debian's chromium against a running Kehou server that
// has the demo school loaded.
//
//   node tests/browser/run.mjs --base http://127.0.0.1:8080 --out build/artifacts
//
// Environment: KEHOU_DEMO_GUARDIAN   a demo guardian's mobile (found through the principal's
//                                    guardian list when unset)
//              KEHOU_DEMO_PASSWORD   demo password (default Kehou@2026)
//              KEHOU_DEMO_PRINCIPAL  principal login (default principal)
//              KEHOU_CHROMIUM        browser (default /usr/bin/chromium)
//              KEHOU_DEMO_CLASSTEACHER, KEHOU_DEMO_OFFICE  logins for scenarios c-g (classteacher, office)
// Options: --only a|b|c|d|e|f|g runs one scenario. A PNG of every step is kept in the --out directory.
// Exits non-zero when a step fails, naming it.
import { mkdirSync } from 'node:fs'
import { importScenario } from './import.mjs'
import { guardianScenario } from './guardian.mjs'
import { enrollScenario } from './enroll.mjs'
import { reviewScenario } from './review.mjs'
import { preferenceScenario } from './preference.mjs'
import { surveyScenario } from './survey.mjs'
import { waitlistScenario } from './waitlist.mjs'
import { proposalScenario } from './proposals.mjs'
import { rosterScenario } from './roster.mjs'
import { hoursScenario, resetCodeScenario, studentsScenario } from './students.mjs'
import { weightScenario } from './weight.mjs'
import { clashReasonScenario, demoRoundsReportScenario, newRoundDialogScenario, sectionEditorScenario } from './rounds.mjs'
import { exitsScenario } from './exits.mjs'
import { workbenchScenario } from './workbench.mjs'
import { activationScenario } from './activation.mjs'
import { batchesScenario } from './batches.mjs'
import { placementScenario } from './placement.mjs'
import { secondRoundScenario } from './second-round.mjs'
import { roundRuleScenario } from './round-rule.mjs'
import { auditScenario } from './audit.mjs'
import { attendanceScenario } from './attendance.mjs'
import { gateScenario } from './gate.mjs'
import { feesScenario } from './fees.mjs'
import { safetyScenario } from './safety.mjs'
import { closeDayScenario, proxyExpiredScenario } from './pickup.mjs'
import { teacherWeekScenario, timetableGridScenario } from './timetable.mjs'
import { ttGroupsScenario } from './tt.mjs'
import { ttDutiesScenario } from './tt-duties.mjs'
import { notifyRetryScenario, notifyChannelScenario } from './notify.mjs'
import { ledgerScenario } from './ledger.mjs'
import { payScenario, receiptScenario } from './pay.mjs'
import { substitutionScenario } from './substitution.mjs'
import { console11Scenario } from './console11.mjs'
import { moneyScenario } from './money.mjs'
import { money12Scenario } from './money12.mjs'
import { lateSettingsScenario } from './daily.mjs'
import { houseScenario } from './house.mjs'
import { house2Scenario } from './house2.mjs'
import { house3Scenario } from './house3.mjs'
import { house4Scenario } from './house4.mjs'
import { launch, loadPlaywright, parseArgs } from './lib.mjs'

async function main() {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`run.mjs: ${e.message}`)
    return 2
  }
  if (args.help) {
    console.log('usage: node tests/browser/run.mjs --base http://127.0.0.1:8080 --out build/artifacts [--only a|b|c|d|e|f|g]')
    return 0
  }
  const playwright = loadPlaywright()
  mkdirSync(args.out, { recursive: true })
  const env = {
    base: args.base,
    out: args.out,
    login: process.env.KEHOU_DEMO_PRINCIPAL || 'principal',
    principalLogin: process.env.KEHOU_DEMO_PRINCIPAL || 'principal',
    password: process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026',
    guardianLogin: process.env.KEHOU_DEMO_GUARDIAN || '',
    playwright,
  }
  console.log(`browser tests against ${args.base}, screenshots in ${args.out}`)

  // The server must answer before we start a browser.
  try {
    const api = await playwright.request.newContext({ baseURL: args.base })
    const r = await api.get('/api/v1/health', { timeout: 10000 })
    await api.dispose()
    if (!r.ok()) throw new Error(`health answered ${r.status()}`)
  } catch (e) {
    console.error(`FAILED: server not reachable at ${args.base}: ${e.message.split('\n')[0]}`)
    return 1
  }

  const scenarios = [
    ['a', 'principal imports 50 students with 2 bad rows', importScenario],
    ['b', 'guardian sees only their own children', guardianScenario],
    ['c', 'guardian applies and signs, class teacher and principal approve, guardian takes a seat', enrollScenario],
    ['d', 'review chain: office publishes the agreement, class teacher returns with a reason, guardian resubmits, both approve', reviewScenario],
    ['e', 'preference round: office creates and opens it, guardian ranks, office closes and allocates, guardian sees why', preferenceScenario],
    ['f', 'needs survey: office creates it, guardian answers on the phone, office sees the response rate and exports', surveyScenario],
    ['g', 'waiting list: a full section, the guardian joins the list, a seat frees, the offer and its window, accept', waitlistScenario],
    ['p', 'course proposal: teacher submits with a PDF lesson plan, course group and principal approve, the catalog counts it', proposalScenario],
    ['r', 'section roster: the office downloads the printable PDF roster from the sections page', rosterScenario],
    ['n', 'new-round dialog: the window and its calendar show this year', newRoundDialogScenario],
    ['x', 'preference result: a time clash is named as the reason, not the cut-off', clashReasonScenario],
    ['q', 'demo rounds: an allocated preference round and an open first-come round; the report pages and exports', demoRoundsReportScenario],
    ['s', 'sections from the course: the office adds a section (teacher, room, capacity at most 45) and edits it', sectionEditorScenario],
    ['t', 'exits: the office records an exit on the console; the seat is released and the roster drops the child', exitsScenario],
    ['u', 'audit log: the principal reads local times, Chinese action names and readable changes, and filters by a named user', auditScenario],
    ['k', 'roll call on the teacher\'s phone: one tap per exception, the whole roster saved in one request; leave page; office board', attendanceScenario],
    ['y', 'workbench: each role\'s home counts what waits for them (principal, class teacher) and the county sees every school', workbenchScenario],
    ['z', 'dismissal batches and looked-after children: the office lists, adds and retires a batch, records a looked-after child and is refused an enrolled one', batchesScenario],
    ['v', 'manual placement: the office places a child in a section by name, sees the waiting list, and removes the child', placementScenario],
    ['o', 'second round: the office opens a second round from an allocated round; it keeps the grades and the previous round\'s sections', secondRoundScenario],
    ['h', 'guardian activation: the office sees the rates and prints letters; a guardian activates on the phone with an SMS code and lands on their children', activationScenario],
    ['j', 'staff gate: the blocked list names the reason; a section for a teacher without a background check is refused with it', gateScenario],
    ['m', 'fees: the guardian pays the child\'s bill on the phone through the test provider; the office sees it paid', feesScenario],
    ['ls1', 'student list: masked, one record revealed and audited; the office adds a student, finds them by the guardian\'s mobile and moves them', studentsScenario],
    ['ls2', 'service hours: no option built before it is needed; the office picks a band\'s end, saves, sees it after a reload', hoursScenario],
    ['ls3', 'reset code: the office prints a guardian\'s one-time code; the guardian sets a new password on the phone and signs in', resetCodeScenario],
    ['sf1', 'safety: the teacher reports an unwell child and hands children over on the phone; the receiver acknowledges; the doctor sees and confirms it on the console', safetyScenario],
    ['pk1', 'pickup at the gate: a proxy whose authorisation expired is refused, red, with the reason in Chinese', proxyExpiredScenario],
    ['pk2', 'end of day: closing is refused while a child is left (named); the office records the departure, then closes', closeDayScenario],
    ['tp1', 'timetable: the office runs the solver with a progress bar, a drag into a teacher clash is refused, a drag to a free slot is stored, XLSX export', timetableGridScenario],
    ['tp2', 'timetable: a teacher sees their own week on the phone', teacherWeekScenario],
    ['nt1', 'notifications: the office sees a failed delivery with its error and retries it', notifyRetryScenario],
    ['nt2', 'notifications: a guardian chooses SMS or in-app on the phone Profile page', notifyChannelScenario],
    ['lg1', 'ledger: the office publishes the month\'s disclosure; the guardian reads it on the phone and its totals match', ledgerScenario],
    ['py1', 'teacher pay: the teacher reads their approved slip on the phone; the principal approves last month\'s run; the reconciliation shows its mismatch', payScenario],
    ['py2', 'receipts: the guardian downloads the PDF receipt of a paid bill from the phone\'s 缴费 page', receiptScenario],
    ['tc1', 'substitution: a teacher reports an absence on the phone; the office assigns the suggested substitute', substitutionScenario],
    ['cs1', 'courses reviewed with their plan: the office\'s new courses wait as draft or for review, a subject course shows as Q&A; English mode names categories, times, subjects and statuses', console11Scenario],
    ['tt1', 'timetable: basic-service groups on the grid apart from sections, with their supervising teacher; sections name their AB backup', ttGroupsScenario],
    ['mn1', 'money desk: an exception held in suspense is refunded to the payer; an approved refund is batched for the bank and marked paid', moneyScenario],
    ['mn2', 'money, received basis: a callback in suspense shows in the journal as 待查明收款; the disclosure shows the receivable apart from income, on the console and the guardian\'s phone', money12Scenario],
    ['dy1', 'late collection: the office sets the escalation minutes on 放学接送 (a decreasing step refused on its field, then saved)', lateSettingsScenario],
    ['hs1', 'menus from the server: a guard, a teacher and the principal see the menu /auth/me grants; a forbidden page shows the refusal', houseScenario],
    ['tt3', 'timetable: a drag onto a slot where the section\'s teacher supervises a basic-service group, or where its AB backup is on duty, is refused live with the duty named', ttDutiesScenario],
    ['hs2', 'edit dialogs: terms, classes and staff check their fields before sending; a new room is saved; a taken login is refused beside its field, a new one gets its temporary password; an institution refused with the reason', house2Scenario],
    ['hs3', 'daily and money dialogs: the board\'s alert, stop/adjust, device and card dialogs, a safety record, the channel settings and the statement import check before sending, save, and reopen empty', house3Scenario],
    ['hs4', 'the last own-state dialogs: a fee standard, a late window, a ledger document, a health note, a staff record and the service hours are refused in Chinese where they were; the pickup restriction and departure wait for their fields; the new rows are saved, and each reopens empty', house4Scenario],
    ['sc1', 'round rank rule: the office edits an upcoming preference round on the console, picks a named rule (explained in one line) and sees it on the row; the guardian\'s phone states it', roundRuleScenario],
    ['w', 'page weight: guardian and console first loads on a throttled phone network (bytes, time to a usable form)', weightScenario],
  ].filter(([id]) => !args.only || args.only === id)

  let passed = 0
  const failures = []
  const { browser, close } = await launch(playwright.chromium, args.chromium)
  try {
    for (const [id, title, fn] of scenarios) {
      console.log(`(${id}) ${title}`)
      const t0 = Date.now()
      try {
        await fn({ ...env, browser })
        passed += 1
        console.log(`(${id}) passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      } catch (e) {
        const step = e.step || 'setup'
        failures.push(`(${id}) ${step}: ${e.cause && e.cause.message ? e.cause.message : e.message}`)
        console.log(`(${id}) FAILED at step ${step}`)
      }
    }
  } finally {
    await close()
  }
  for (const f of failures) console.error(`FAILED ${f}`)
  console.log(`browser: ${passed} passed, ${failures.length} failed`)
  return failures.length ? 1 : 0
}

main().then((code) => process.exit(code), (e) => {
  console.error(`FAILED: ${e && e.stack ? e.stack : e}`)
  process.exit(1)
})
