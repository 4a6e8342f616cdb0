// labels.js: display names of the codes the API uses (school level/type, room kind, staff kind,
// band kind/season, weekdays, relation), following the current language.
import { useI18n } from 'vue-i18n'

export const ROOM_KINDS = ['classroom', 'sports_ground', 'gym', 'function_room', 'library', 'lab']
export const STAFF_KINDS = ['in_school', 'retired', 'institution', 'volunteer', 'parent_volunteer']
export const BAND_KINDS = ['morning', 'noon', 'after_school', 'evening']
export const SEASONS = ['all', 'winter', 'summer']
export const LEVELS = ['primary', 'junior', 'nine_year']
export const TYPES = ['public', 'private', 'private_boarding']
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]

export function useLabels() {
  const { t, te } = useI18n()
  const lookup = (prefix) => (code) => (code === null || code === undefined || code === '' ? '' : te(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : String(code))
  return {
    levelLabel: lookup('codes.level'),
    typeLabel: lookup('codes.type'),
    roomKindLabel: lookup('codes.room'),
    staffKindLabel: lookup('codes.staff'),
    bandKindLabel: lookup('codes.band'),
    seasonLabel: lookup('codes.season'),
    weekdayLabel: lookup('codes.weekday'),
    roleLabel: lookup('roles'),
    genderLabel: lookup('codes.gender'),
  }
}
