// Preloaded into a spawned CLI (`node -r`): prints its peak resident set size on exit, so a test can bound memory.
process.on('exit', () => {
  process.stderr.write(`\nmaxRSS-kB=${process.resourceUsage().maxRSS}\n`);
});
