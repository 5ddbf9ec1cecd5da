/** Config durations: `90s`, `10m`, `1h`, `24h`, `7d`, compounds such as `1h30m`, or `0`. */

const UNIT_SECONDS = { d: 86400, h: 3600, m: 60, s: 1 } as const;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** What a duration may look like, for error messages. */
export const DURATION_FORMAT = 'a duration such as 90s, 10m, 1h, 24h, 7d or 1h30m';

/** Seconds of a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  const [, d, h, m, s] = match;
  return (
    Number(d ?? 0) * UNIT_SECONDS.d +
    Number(h ?? 0) * UNIT_SECONDS.h +
    Number(m ?? 0) * UNIT_SECONDS.m +
    Number(s ?? 0) * UNIT_SECONDS.s
  );
}

/** The shortest duration string for a number of seconds (`86400` → `1d`, `5400` → `1h30m`). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0';
  let rest = seconds;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
