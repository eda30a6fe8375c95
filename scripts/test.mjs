#!/usr/bin/env node
// The README's test command. Runs the repository tests on SQLite, then again on PostgreSQL when
// one answers (DATABASE_URL, or the local default), then the browser tests in chromium when it is
// installed. CI sets COLLOQUY_REQUIRE_PG=1 and COLLOQUY_REQUIRE_BROWSER=1 so nothing is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

const pgUrl =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const requirePg = process.env.COLLOQUY_REQUIRE_PG === '1';
const requireBrowser = process.env.COLLOQUY_REQUIRE_BROWSER === '1';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extra = process.argv.slice(2);
const summary = [];
mkdirSync('.tmp', { recursive: true });

function vitest(label, env, config) {
  const args = [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=.tmp/vitest-${label}.json`,
  ];
  if (config) args.push('--config', config);
  args.push(...extra);
  const res = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } });
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const json = JSON.parse(readFileSync(`.tmp/vitest-${label}.json`, 'utf8'));
    counts = {
      passed: json.numPassedTests,
      failed: json.numFailedTests,
      skipped: json.numPendingTests + json.numTodoTests,
    };
  } catch {
    /* the run failed before writing its report */
  }
  summary.push({ label, status: res.status, ...counts });
  return res.status === 0;
}

async function pgAnswers() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    await c.end();
    return true;
  } catch {
    return false;
  }
}

let ok = true;
ok = vitest('sqlite', { DATABASE_URL: '' }) && ok;
if (await pgAnswers()) {
  ok = vitest('postgres', { DATABASE_URL: pgUrl }) && ok;
} else if (requirePg) {
  console.error(`PostgreSQL does not answer at ${pgUrl} and COLLOQUY_REQUIRE_PG=1`);
  ok = false;
} else {
  console.log(`PostgreSQL does not answer at ${pgUrl}: the PostgreSQL run is skipped.`);
}
if (existsSync(chromium)) {
  ok = vitest('browser', {}, 'vitest.browser.config.ts') && ok;
} else if (requireBrowser) {
  console.error(`chromium not found at ${chromium} and COLLOQUY_REQUIRE_BROWSER=1`);
  ok = false;
} else {
  console.log(`chromium not found at ${chromium}: browser tests skipped (apt-get install -y chromium).`);
}

console.log('\nColloquy test summary');
for (const s of summary)
  console.log(`  ${s.label.padEnd(9)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
const total = summary.reduce((a, s) => ({ p: a.p + s.passed, f: a.f + s.failed, s: a.s + s.skipped }), {
  p: 0,
  f: 0,
  s: 0,
});
console.log(`${total.p} passed, ${total.f} failed, ${total.s} skipped`);
process.exit(ok ? 0 : 1);
