#!/usr/bin/env node
// npm bin shim: runs the TypeScript CLI through tsx so `npx skewguard` works right after `npm ci`.
require('tsx/cjs');
require('./skewguard.ts');
