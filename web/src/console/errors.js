// One error path for the console: a failed request (an ApiError from shared/api.js, whose message
// is already in the user's language) is told to the user the same way on every page.
import { ElMessage } from 'element-plus'

export function showError(e) {
  if (!e || e.name === 'AbortError') return // a request the page itself cancelled
  ElMessage.error(e.message || String(e))
}
