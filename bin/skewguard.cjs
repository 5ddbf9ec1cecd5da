#!/usr/bin/env node
// npm bin shim: a clone runs the TypeScript through tsx (never a stale build); the packed package
// ships no TypeScript, only the bundle `npm run build` writes to dist/, and needs no tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'skewguard.ts'))) {
  require('tsx/cjs');
  require('./skewguard.ts');
} else {
  require('../dist/skewguard.cjs');
}
