import { formatDuration, parseDuration, parseSchedule } from '../../../lib/config';

describe('durations', () => {
  it.each([
    ['0', 0],
    ['90s', 90],
    ['10m', 600],
    ['1h', 3600],
    ['24h', 86400],
    ['7d', 604800],
    ['1h30m', 5400],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '10', '1.5h', '10 m', '-1m', '1m1h', 'P1D'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([0, 59, 600, 5400, 86400, 694861])('formats %i seconds so it parses back', (seconds) => {
    expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
});

describe('schedule periods', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(5 minutes)', 300],
    ['rate(2 hours)', 7200],
    ['rate(1 day)', 86400],
    ['cron(0/10 * * * ? *)', 600],
    ['cron(*/15 * * * ? *)', 900],
    ['cron(0,30 * * * ? *)', 1800],
    ['cron(5 * * * ? *)', 3600],
    ['cron(0 */6 * * ? *)', 21600],
    ['cron(0 8,20 * * ? *)', 43200],
    ['cron(0 8 * * ? *)', 86400],
    ['cron(0/5 8-17 ? * MON-FRI *)', 300],
    ['cron(0 8 ? * MON *)', 604800],
    ['cron(0 8 ? * MON,THU *)', 259200],
    ['cron(0 8 1 * ? *)', 2678400],
  ])('%s runs every %i seconds at most', (expression, periodSeconds) => {
    expect(parseSchedule(expression)).toEqual({ expression, periodSeconds });
  });

  it.each([
    ['rate(0 minutes)', /at least 1/],
    ['rate(5 minute)', /use the plural: rate\(5 minutes\)/],
    ['rate(5 seconds)', /not a schedule expression/],
    ['cron(0 8 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 8 * * ? * extra)', /7 cron fields/],
    ['cron(0 8 * * ? $)', /characters cron does not allow/],
  ])('rejects %s', (expression, problem) => {
    expect(parseSchedule(expression)).toMatch(problem);
  });
});
