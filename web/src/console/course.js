// course.js: the course form's categories and its conversion to and from the API (catalog and
// course proposals share them).
export const CATEGORIES = ['science', 'sports', 'arts', 'labour', 'reading', 'film', 'interest', 'club']
// The school subjects a subject Q&A course may name (stored as the Chinese name, courses.subject).
export const SUBJECTS = [['chinese', '语文'], ['maths', '数学'], ['english', '英语'], ['science', '科学'], ['physics', '物理'],
  ['chemistry', '化学'], ['biology', '生物'], ['history', '历史'], ['geography', '地理'], ['morality', '道德与法治']]
// A stored subject name in the page's language (an unknown one shows as stored).
export function subjectLabel(t, zh) {
  const hit = SUBJECTS.find(([, name]) => name === zh)
  return hit ? t(`catalog.subjects.${hit[0]}`) : zh
}

// A blank course form, or the form of a course from the API.
export function courseForm(c) {
  if (!c) return { name: '', category: 'arts', grades: [], slots: [], capacity: 40, venue_kind: 'classroom', teacher_staff_id: null, institution: '', fee_yuan: 0, subject_qa: false, subject: '', description: '' }
  return {
    name: c.name, category: c.category, grades: [...(c.grades || [])],
    slots: (c.slots || []).map((s) => `${s.weekday}:${s.band}`), capacity: c.capacity, venue_kind: c.venue_kind || 'classroom',
    teacher_staff_id: c.teacher_staff_id ?? null, institution: c.institution || '', fee_yuan: (c.fee_fen || 0) / 100,
    subject_qa: !!c.subject_qa, subject: c.subject || '', description: c.description || '',
  }
}

// The API body of a course form (money in fen; one session per chosen slot).
export function courseBody(f) {
  const body = {
    name: f.name.trim(), category: f.category, grades: f.grades, slots: f.slots.join(','), sessions_per_week: f.slots.length,
    capacity: f.capacity, venue_kind: f.venue_kind, institution: (f.institution || '').trim(), fee_fen: Math.round((f.fee_yuan || 0) * 100),
    subject_qa: !!f.subject_qa, subject: f.subject_qa ? (f.subject || '').trim() : '', description: (f.description || '').trim(),
  }
  if (f.teacher_staff_id) body.teacher_staff_id = f.teacher_staff_id
  return body
}
