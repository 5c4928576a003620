// Runs the compiled tests of every workspace with node's test runner.
// Usage: node scripts/run-tests.js [--unit | --int] [extra node --test flags]
// Node 20 has no glob support in `node --test`, so the file list is built here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--int') ? 'int' : 'all';
const extra = args.filter((a) => a !== '--unit' && a !== '--int');

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const roots = [
  ...readdirSync('packages').map((p) => join('packages', p, 'dist')),
  join('bench', 'dist'),
  join('examples', 'dist'),
];
const files = roots
  .filter((dir) => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  })
  .flatMap((dir) => [...walk(dir)])
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => {
    const isInt = f.endsWith('.int.test.js');
    return only === 'all' || (only === 'int') === isInt;
  })
  .sort();

if (files.length === 0) {
  console.error('no test files found; did `tsc -b` run?');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--enable-source-maps', ...extra, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
