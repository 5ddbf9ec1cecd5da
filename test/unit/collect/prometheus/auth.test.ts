import { cliPrometheusAuth } from '../../../../lib/collect/prometheus/auth';

const PLAIN = 'https://prometheus.example.com';
const AMP = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1';

describe('skewguard check: Prometheus credentials from the environment', () => {
  it.each([
    ['nothing set', PLAIN, {}, { type: 'none' }],
    ['a token', PLAIN, { SKEWGUARD_PROMETHEUS_TOKEN: ' tok \n' }, { type: 'bearer', token: 'tok' }],
    [
      'a username and password',
      PLAIN,
      { SKEWGUARD_PROMETHEUS_USERNAME: 'reader', SKEWGUARD_PROMETHEUS_PASSWORD: 'p w' },
      { type: 'basic', username: 'reader', password: 'p w' },
    ],
    ['an AMP URL', AMP, {}, { type: 'sigv4' }],
  ])('%s', (_, url, env, auth) => {
    expect(cliPrometheusAuth(url, env)).toEqual(auth);
  });

  it.each([
    [
      'a token and a username',
      PLAIN,
      { SKEWGUARD_PROMETHEUS_TOKEN: 't', SKEWGUARD_PROMETHEUS_USERNAME: 'u' },
      /both a bearer token and a username\/password are set/,
    ],
    [
      'an empty token',
      PLAIN,
      { SKEWGUARD_PROMETHEUS_TOKEN: ' ' },
      /SKEWGUARD_PROMETHEUS_TOKEN is empty/,
    ],
    [
      'a username without password',
      PLAIN,
      { SKEWGUARD_PROMETHEUS_USERNAME: 'u' },
      /needs both SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD/,
    ],
    [
      'a password without username',
      PLAIN,
      { SKEWGUARD_PROMETHEUS_PASSWORD: 'p' },
      /needs both SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD/,
    ],
    ['a token for AMP', AMP, { SKEWGUARD_PROMETHEUS_TOKEN: 't' }, /signed with SigV4/],
    ['a lone password for AMP', AMP, { SKEWGUARD_PROMETHEUS_PASSWORD: 'p' }, /signed with SigV4/],
  ])('refuses %s, naming the variables', (_, url, env, message) => {
    expect(() => cliPrometheusAuth(url, env)).toThrow(message);
    expect(() => cliPrometheusAuth(url, env)).toThrow(
      expect.objectContaining({ source: 'prometheus', kind: 'config' }),
    );
  });
});
