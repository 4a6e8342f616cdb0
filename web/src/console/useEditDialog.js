// useEditDialog: the state of one create/edit dialog — open it with a form, validate, submit,
// show the server's Chinese error beside the field it names (else as a message), close and
// reload on success. Pages keep only their form, their rules and the request they send.
//   const d = useEditDialog({ submit: (form) => post(...), onSaved: load })
//   d.open({ ...row })  ·  <el-dialog v-model="d.visible.value"> … :error="d.err('name')" … @click="d.save"
// Options a page may give beside submit/onSaved:
//   saved:  the success message, an i18n key or (result) => text (default common.saved; '' none)
//   close:  false keeps the dialog open on success (it goes on to show the result, e.g. a key)
//   before: (form) => false to stop after validation (a confirm box, a check of the page's own)
//   errors: how a failure is shown (useFieldErrors take: { toast, alias, only })
// useLoad: a whole (unpaged) list read once, with its loading state and errors as messages.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { showError } from './errors.js'
import { useFieldErrors } from './useFieldErrors.js'

export function useEditDialog({ submit, onSaved, saved = 'common.saved', close = true, before = null, errors = {} }) {
  const { t } = useI18n()
  const visible = ref(false)
  const saving = ref(false)
  const { error, errorField, err, has, clear, set, take } = useFieldErrors()
  const formRef = ref()
  const form = ref({})

  function open(initial) {
    form.value = initial
    clear()
    visible.value = true
  }
  // el-form's validate rejects when a rule fails; a form component's may answer false instead.
  async function valid() {
    if (!formRef.value) return true
    try { return (await formRef.value.validate()) !== false } catch { return false }
  }
  async function save() {
    if (!(await valid())) return
    if (before && (await before(form.value)) === false) return
    saving.value = true
    clear()
    try {
      const result = await submit(form.value)
      if (saved) ElMessage.success(typeof saved === 'function' ? saved(result) : t(saved))
      if (close) visible.value = false
      if (onSaved) onSaved(result)
    } catch (e) {
      take(e, errors)
    } finally {
      saving.value = false
    }
  }
  return { visible, saving, error, errorField, formRef, form, open, err, has, set, clear, save }
}

export function useLoad(fetch) {
  const items = ref([])
  const loading = ref(false)
  async function load() {
    loading.value = true
    try {
      items.value = await fetch()
    } catch (e) {
      showError(e)
    } finally {
      loading.value = false
    }
  }
  return { items, loading, load }
}
