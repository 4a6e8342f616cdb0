#!/usr/bin/env node
// openapi-stubs.mjs: adds a draft entry to docs/openapi.yaml for every endpoint of the permission
// table (src/access/permissions.cpp) that the document does not describe yet, with its x-roles
// from the table, path parameters, a JSON body for writes and the usual error answers. The
// module that owns the endpoint then replaces the draft's schemas with the real ones (drafts
// carry `x-status: draft`). Existing entries are never touched. Run from anywhere:
//
//   node tests/api/openapi-stubs.mjs          # writes docs/openapi.yaml, prints what it added
//   node tests/api/openapi-stubs.mjs --check  # exit 1 if an endpoint is missing (writes nothing)
//   node tests/api/openapi-stubs.mjs --strip-drafts  # removes every `x-status: draft` operation
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ROLES, readCppTable, parseOpenApi, toOpenApiPath } from './matrix.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const yamlPath = resolve(repo, 'docs/openapi.yaml');
if (process.argv.includes('--strip-drafts')) {
  const lines = readFileSync(yamlPath, 'utf8').split('\n');
  const out = [];
  let i = 0, removed = 0;
  while (i < lines.length) {
    if (/^ {4}(get|put|post|delete|patch):\s*$/.test(lines[i])) {
      let end = i + 1;
      while (end < lines.length && (/^ {6}/.test(lines[end]) || lines[end].trim() === '')) end++;
      if (lines.slice(i, end).some((l) => /^ {6}x-status: draft\s*$/.test(l))) {
        removed++;
        i = end;
        continue;
      }
    }
    out.push(lines[i++]);
  }
  // path keys left without operations go too
  const kept = [];
  for (let k = 0; k < out.length; k++) {
    if (/^ {2}\/\S*:\s*$/.test(out[k])) {
      let end = k + 1;
      while (end < out.length && !/^ {0,2}\S/.test(out[end])) end++;
      if (!out.slice(k + 1, end).some((l) => /^ {4}(get|put|post|delete|patch):/.test(l))) { k = end - 1; continue; }
    }
    kept.push(out[k]);
  }
  writeFileSync(yamlPath, kept.join('\n').replace(/\n{3,}/g, '\n\n'));
  console.log(`removed ${removed} draft operations`);
  process.exit(0);
}

const rows = readCppTable(repo);
const text = readFileSync(yamlPath, 'utf8');
const have = new Set(parseOpenApi(text).map((o) => `${o.method} ${o.path}`));
const missing = rows.filter((r) => !have.has(`${r.method} ${toOpenApiPath(r.pattern)}`));

if (process.argv.includes('--check')) {
  for (const r of missing) console.log(`not in docs/openapi.yaml: ${r.key}`);
  process.exit(missing.length ? 1 : 0);
}
if (!missing.length) {
  console.log('docs/openapi.yaml describes every endpoint of the permission table');
  process.exit(0);
}

const TAGS = {
  surveys: 'registration', 'dismissal-batches': 'registration', agreements: 'registration',
  applications: 'registration', exits: 'registration', 'looked-after': 'registration',
  courses: 'selection', sections: 'selection', rounds: 'selection', waitlist: 'selection',
};
const WRITE = new Set(['POST', 'PUT', 'PATCH']);

function stub(r) {
  const path = toOpenApiPath(r.pattern);
  const tag = TAGS[r.pattern.split('/')[3]] || 'draft';
  const opId = (r.method.toLowerCase() + path.replace(/\/api\/v1/, '').replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_')).replace(/_+$/, '');
  const roles = ROLES.filter((x) => r.scopes[x]).map((x) => `${x}: ${r.scopes[x]}`).join(', ');
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const out = [
    `    ${r.method.toLowerCase()}:`,
    `      tags: [${tag}]`,
    `      operationId: ${opId}`,
    `      summary: "${r.method} ${path}（草稿 / draft）"`,
    '      description: 草稿：请求与回答的结构由该模块补充，权限以 x-roles（权限表）为准。Draft; the owning module fills in the bodies. x-roles is the permission table.',
    '      x-status: draft',
    `      x-roles: {${roles}}`,
  ];
  if (params.length) {
    out.push('      parameters:');
    for (const p of params) out.push(`        - {name: ${p}, in: path, required: true, schema: {type: integer, format: int64, minimum: 1}}`);
    out.push('        - $ref: "#/components/parameters/SchoolId"');
  } else {
    out.push('      parameters:', '        - $ref: "#/components/parameters/SchoolId"');
  }
  if (WRITE.has(r.method)) {
    out.push('      requestBody:', '        required: true', '        content:', '          application/json:', '            schema: {type: object}');
  }
  out.push(
    '      responses:',
    '        "200":',
    '          description: 成功 / done',
    '          content:',
    '            application/json:',
    '              schema: {type: object}',
    '        "400": {$ref: "#/components/responses/Invalid"}',
    '        "401": {$ref: "#/components/responses/Unauthenticated"}',
    '        "403": {$ref: "#/components/responses/Forbidden"}',
    '        "404": {$ref: "#/components/responses/NotFound"}',
  );
  if (WRITE.has(r.method)) out.push('        "409": {$ref: "#/components/responses/Conflict"}', '        "422": {$ref: "#/components/responses/RuleBroken"}');
  return out;
}

const lines = text.split('\n');
const pathsStart = lines.findIndex((l) => l === 'paths:');
let pathsEnd = lines.findIndex((l, i) => i > pathsStart && /^\S/.test(l));
if (pathsEnd < 0) pathsEnd = lines.length;
// drop blank lines at the end of the paths block; we re-add one
while (pathsEnd > pathsStart && lines[pathsEnd - 1].trim() === '') pathsEnd--;

const byPath = new Map();
for (const r of missing) {
  const p = toOpenApiPath(r.pattern);
  if (!byPath.has(p)) byPath.set(p, []);
  byPath.get(p).push(r);
}
const appended = [];
for (const [p, rs] of byPath) {
  const at = lines.findIndex((l, i) => i > pathsStart && i < pathsEnd && l === `  ${p}:`);
  const block = rs.flatMap(stub);
  if (at >= 0) {
    // insert at the end of this path's block
    let end = at + 1;
    while (end < pathsEnd && !/^ {2}\S/.test(lines[end])) end++;
    while (end > at + 1 && lines[end - 1].trim() === '') end--;
    lines.splice(end, 0, ...block);
    pathsEnd += block.length;
  } else {
    appended.push('', `  ${p}:`, ...block);
  }
}
lines.splice(pathsEnd, 0, ...appended);
let out = lines.join('\n');
for (const tag of new Set(missing.map((r) => TAGS[r.pattern.split('/')[3]] || 'draft'))) {
  if (!new RegExp(`^  - name: ${tag}$`, 'm').test(out)) {
    const desc = { registration: '报名（问卷、放学批次、协议、申请与审核、退出、托管）/ registration',
      selection: '课程与选课（课程、教学班、选课轮次、候补）/ catalog and selection', draft: '草稿 / draft' }[tag];
    out = out.replace(/^security:$/m, `  - name: ${tag}\n    description: ${desc}\nsecurity:`);
  }
}
writeFileSync(yamlPath, out);
for (const r of missing) console.log(`added draft: ${r.key}`);
