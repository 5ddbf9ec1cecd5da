import { stringify } from 'yaml';
import { SourceError } from '../../../../lib/collect/errors';
import { parseKubeconfigText } from '../../../../lib/collect/kubernetes/kubeconfig-text';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function kubeconfig(
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'prod',
    clusters: [
      {
        name: 'prod-cluster',
        cluster: {
          server: 'https://api.prod.example:6443',
          'certificate-authority-data': b64(CA),
          ...cluster,
        },
      },
    ],
    users: [{ name: 'reader', user }],
    contexts: [{ name: 'prod', context: { cluster: 'prod-cluster', user: 'reader' } }],
    ...extra,
  });
}

function problem(text: string, context?: string): string {
  try {
    parseKubeconfigText(text, context);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ source: 'kubernetes', kind: 'config' });
    return (error as Error).message;
  }
  throw new Error('expected the kubeconfig to be refused');
}

describe('a kubeconfig stored in a secret', () => {
  it('gives the current context with its server, CA and token', () => {
    expect(parseKubeconfigText(kubeconfig({ token: 'abc' }))).toEqual({
      context: 'prod',
      server: 'https://api.prod.example:6443',
      caPem: CA,
      auth: { kind: 'token', token: 'abc' },
    });
  });

  it('takes a client certificate, basic auth and tls-server-name', () => {
    expect(
      parseKubeconfigText(
        kubeconfig(
          { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
          { 'tls-server-name': 'kubernetes' },
        ),
      ),
    ).toMatchObject({
      tlsServerName: 'kubernetes',
      auth: { kind: 'clientCertificate', certPem: 'CERT', keyPem: 'KEY' },
    });
    expect(parseKubeconfigText(kubeconfig({ username: 'u', password: 'p' })).auth).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
  });

  it('picks the named context over current-context', () => {
    const text = kubeconfig({ token: 't' }, {}, { 'current-context': 'other' });
    expect(parseKubeconfigText(text, 'prod').context).toBe('prod');
    expect(problem(text)).toMatch(/has no context "other"; it has: prod/);
  });

  it.each<[string, string, RegExp]>([
    ['not YAML', 'clusters: [', /is not YAML/],
    ['not a kubeconfig', 'hello: world', /is not a kubeconfig \(no contexts\)/],
    [
      'an exec plugin',
      kubeconfig({ exec: { command: 'aws', args: ['eks', 'get-token'] } }),
      /exec plugin, which the scheduled checker cannot run; store a ServiceAccount token/,
    ],
    ['an auth provider', kubeconfig({ 'auth-provider': { name: 'gcp' } }), /an auth-provider/],
    [
      'a CA file path',
      kubeconfig({ token: 't' }, { 'certificate-authority': '/etc/ca.crt' }),
      /refers to a file \(cluster.certificate-authority\); a secret must embed it: use certificate-authority-data/,
    ],
    [
      'a token file',
      kubeconfig({ tokenFile: '/var/run/token' }),
      /refers to a file \(user.tokenFile\); a secret must embed it: use token/,
    ],
    [
      'insecure TLS',
      kubeconfig({ token: 't' }, { 'insecure-skip-tls-verify': true }),
      /insecure-skip-tls-verify; skewguard always verifies TLS/,
    ],
    [
      'a proxy',
      kubeconfig({ token: 't' }, { 'proxy-url': 'http://proxy.corp:3128' }),
      /would go through the proxy http:\/\/proxy\.corp:3128 \(proxy-url\), and skewguard does not send API requests through a proxy/,
    ],
    [
      'plain http',
      kubeconfig({ token: 't' }, { server: 'http://api:8080' }),
      /"http:\/\/api:8080", which is not https:\/\//,
    ],
    ['no credentials', kubeconfig({}), /user "reader" has no credentials skewguard can use/],
    [
      'bad base64',
      kubeconfig({ token: 't' }, { 'certificate-authority-data': '%%%' }),
      /certificate-authority-data that is not base64/,
    ],
  ])('refuses %s with what to store instead', (_, text, message) => {
    expect(problem(text)).toMatch(message);
  });

  it('names the missing user', () => {
    const text = stringify({
      'current-context': 'prod',
      clusters: [{ name: 'c', cluster: { server: 'https://x' } }],
      contexts: [{ name: 'prod', context: { cluster: 'c', user: 'ghost' } }],
      users: [],
    });
    expect(problem(text)).toMatch(/has no user "ghost"; it has: \(none\)/);
  });
});
