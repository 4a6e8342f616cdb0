// readXlsx(bytes): an exported workbook read back cell by cell, so a test checks what a user sees
// in Excel (headers, values, masking), not only that the file starts with "PK". Node's zlib
// inflates the ZIP members; the sheet XML is simple enough for a few regular expressions.
// -> { sheets: [{ name, rows: [[text, ...], ...] }] }; throws on a file that is not a workbook.
import { inflateRawSync } from 'node:zlib';

function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0 && buf.length - i <= 65557; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a ZIP (no directory)');
  const files = new Map();
  let at = buf.readUInt32LE(eocd + 16);
  for (let e = buf.readUInt16LE(eocd + 10); e > 0; e--) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad ZIP directory');
    const method = buf.readUInt16LE(at + 10), csize = buf.readUInt32LE(at + 20);
    const nlen = buf.readUInt16LE(at + 28), xlen = buf.readUInt16LE(at + 30), clen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nlen).toString('utf8');
    at += 46 + nlen + xlen + clen;
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const packed = buf.subarray(data, data + csize);
    files.set(name, method === 0 ? packed : inflateRawSync(packed));
  }
  return files;
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(+n)).replace(/&amp;/g, '&');
// The text of an <si> or <is>: every <t> in it (rich text runs concatenated).
const textOf = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescape(m[1])).join('');
const attr = (tag, name) => (new RegExp(`\\s${name}="([^"]*)"`).exec(tag) || [])[1];
function column(ref) {
  let c = 0;
  for (const ch of ref) { if (ch < 'A' || ch > 'Z') break; c = c * 26 + ch.charCodeAt(0) - 64; }
  return c - 1;
}

export function readXlsx(bytes) {
  const files = unzip(Buffer.from(bytes));
  const read = (n) => { const f = files.get(n); if (!f) throw new Error(`workbook without ${n}`); return f.toString('utf8'); };
  const shared = files.has('xl/sharedStrings.xml')
    ? [...read('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1])) : [];
  const targets = new Map([...read('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\s[^>]*>/g)]
    .map((m) => [attr(m[0], 'Id'), attr(m[0], 'Target')]));
  const sheets = [];
  for (const m of read('xl/workbook.xml').matchAll(/<sheet\s[^>]*>/g)) {
    let target = targets.get(attr(m[0], 'r:id')) || '';
    target = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    const rows = [];
    for (const r of read(target).matchAll(/<row\s([^>]*)>([\s\S]*?)<\/row>/g)) {
      const cells = [];
      for (const c of r[2].matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const type = attr(` ${c[1]}`, 't'), inner = c[2] || '';
        const v = (/<v>([\s\S]*?)<\/v>/.exec(inner) || [])[1];
        let text = '';
        if (type === 's') text = shared[+v] ?? '';
        else if (type === 'inlineStr') text = textOf(inner);
        else if (v !== undefined) text = unescape(v);
        cells[column(attr(` ${c[1]}`, 'r') || 'A')] = text;
      }
      rows[(+attr(` ${r[1]}`, 'r') || rows.length + 1) - 1] = Array.from(cells, (x) => x ?? '');
    }
    sheets.push({ name: unescape(attr(m[0], 'name') || ''), rows: Array.from(rows, (x) => x ?? []) });
  }
  return { sheets };
}

// Every cell of every sheet, for "this value must (not) appear anywhere" checks.
export const allCells = (book) => book.sheets.flatMap((s) => s.rows.flat());
