// useEditDialog: the state of one create/edit dialog — open it with a form, validate, submit,
// show the server's Chinese error beside the field it names (else as a message), close and
// reload on success. Pages keep only their form, their rules and the request they send.
//   const d = useEditDialog({ submit: (form) => post(...), onSaved: load })
//   d.open({ ...row })  ·  <el-dialog v-model="d.visible.value"> … :error="d.err('name')" … @click="d.save"
// useLoad: a whole (unpaged) list read once, with its loading state and errors as messages.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { showError } from './errors.js'
import { useFieldErrors } from './useFieldErrors.js'

export function useEditDialog({ submit, onSaved }) {
  const { t } = useI18n()
  const visible = ref(false)
  const saving = ref(false)
  const { error, errorField, err, clear, take } = useFieldErrors()
  const formRef = ref()
  const form = ref({})

  function open(initial) {
    form.value = initial
    clear()
    visible.value = true
  }
  async function save() {
    if (formRef.value) {
      try { await formRef.value.validate() } catch { return }
    }
    saving.value = true
    clear()
    try {
      await submit(form.value)
      ElMessage.success(t('common.saved'))
      visible.value = false
      if (onSaved) onSaved()
    } catch (e) {
      take(e)
    } finally {
      saving.value = false
    }
  }
  return { visible, saving, error, errorField, formRef, form, open, err, save }
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
