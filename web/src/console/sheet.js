// sheet.js: reading the import file in the browser.
// CSV goes to the server as text ({csv}); Excel files from Chinese offices are often saved as
// GBK, so a file that is not valid UTF-8 is decoded as GBK. XLSX is parsed here with exceljs
// and sent as {rows:[{<Chinese header>: value, _row: n}]}: _row is the sheet's row number (the
// header is row 1), so the server's error rows match the lines the user sees even when blank
// lines are skipped.

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

export async function decodeCsv(file) {
  const buf = await file.arrayBuffer()
  let bytes = new Uint8Array(buf)
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gbk').decode(bytes)
  }
}

function pad(n) { return String(n).padStart(2, '0') }

// One cell to text, as the user sees it in Excel.
export function cellText(v) {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) {
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`
  }
  if (typeof v === 'number') {
    // Long numbers such as ID numbers typed without a leading quote lose digits in Excel;
    // print integers in full rather than as 1.1e+17.
    return Number.isInteger(v) ? BigInt(v).toString() : String(v)
  }
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('')
    if ('text' in v && v.text !== undefined) return cellText(v.text)
    if ('result' in v) return cellText(v.result)
    if ('error' in v) return String(v.error)
    if ('sharedFormula' in v || 'formula' in v) return ''
  }
  return String(v)
}

export async function readXlsx(file) {
  const mod = await import('exceljs')
  const ExcelJS = mod.default || mod
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(await file.arrayBuffer())
  const ws = wb.worksheets.find((w) => w.state !== 'hidden') || wb.worksheets[0]
  if (!ws) return { headers: [], rows: [] }
  const headerRow = ws.getRow(1)
  const headers = []
  headerRow.eachCell({ includeEmpty: true }, (cell, col) => {
    headers[col] = cellText(cell.value).trim()
  })
  const rows = []
  const last = ws.actualRowCount ? ws.rowCount : 0
  for (let r = 2; r <= last; r++) {
    const row = ws.getRow(r)
    const obj = { _row: r }
    let any = false
    for (let c = 1; c < headers.length; c++) {
      const h = headers[c]
      if (!h) continue
      const text = cellText(row.getCell(c).value).trim()
      obj[h] = text
      if (text) any = true
    }
    if (any) rows.push(obj)
  }
  return { headers: headers.filter(Boolean), rows }
}

export function kindOf(file) {
  const n = (file.name || '').toLowerCase()
  if (n.endsWith('.csv') || n.endsWith('.txt')) return 'csv'
  if (n.endsWith('.xlsx')) return 'xlsx'
  if (n.endsWith('.xls')) return 'xls'
  return ''
}
