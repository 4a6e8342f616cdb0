// useFieldErrors: the server's error on a form, beside the field it names. One place for what
// every dialog did by hand: keep the message and the (normalised) field, answer err(f) for an
// el-form-item's :error, clear before a new try, and show a toast as the page wants it.
//   const { error, errorField, err, clear, take } = useFieldErrors()
//   try { ... } catch (e) { take(e) }          // toast only when no field is named (the default)
//   take(e, { toast: 'named' })                // the page's alert shows the unnamed ones
//   take(e, { toast: 'never', alias: { range: 'opens_on' }, only: ['bill_id'] })
import { ref } from 'vue'
import { showError } from './errors.js'
import { normField } from './fields.js'

export function useFieldErrors() {
  const error = ref('')       // the server's message ('' when none)
  const errorField = ref('')  // the field it named, normalised ("bands[2].end_time"); '' when none
  const err = (field) => (errorField.value === field ? error.value : '')
  const has = (field) => errorField.value === field
  function clear() {
    error.value = ''
    errorField.value = ''
  }
  // Sets the message beside a field the page shows (e.g. a check of its own before sending).
  function set(field, message) {
    errorField.value = field || ''
    error.value = message || ''
  }
  // A failed request: its message, its field (renamed by `alias`; kept only if in `only`, when
  // given); a toast when `toast` says so: 'unnamed' (no field named), 'named', 'always', 'never'.
  function take(e, { alias = {}, only = null, toast = 'unnamed' } = {}) {
    let field = normField(e && e.field)
    if (alias[field]) field = alias[field]
    if (only && !only.includes(field)) field = ''
    error.value = (e && e.message) || String(e)
    errorField.value = field
    if (toast === 'always' || (toast === 'unnamed' && !field) || (toast === 'named' && field)) showError(e)
  }
  return { error, errorField, err, has, clear, set, take }
}
