/** `0`, `10m`, `1h`, `24h`, `1h30m` from seconds, for people. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0';
  const units: [number, string][] = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  // Hours read better than days up to two days (`24h` is how alerting rules say it).
  let rest = seconds;
  let out = '';
  for (const [size, unit] of units) {
    if (unit === 'd' && seconds <= 2 * 86400) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
