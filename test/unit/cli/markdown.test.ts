/** Runbook markdown on a terminal: styled with colour, untouched without. */
import { renderMarkdownForTerminal } from '../../../lib/cli/markdown';
import { terminalStyle } from '../../../lib/cli/terminal';

const RUNBOOK = [
  '# KubeletVersionSkew',
  '',
  '## Meaning',
  '',
  '- **K > A_min**: see `details.nodes` and [the policy](https://kubernetes.io/x)',
  '',
  '   ```sh',
  '   kubectl get nodes',
  '   ```',
].join('\n');

describe('renderMarkdownForTerminal', () => {
  it('passes the markdown through without colour', () => {
    expect(renderMarkdownForTerminal(RUNBOOK, terminalStyle())).toBe(RUNBOOK);
  });

  it('styles headings, bullets, code and links with colour', () => {
    expect(renderMarkdownForTerminal(RUNBOOK, terminalStyle({ env: { FORCE_COLOR: '1' } }))).toBe(
      [
        '\x1b[1m\x1b[4mKubeletVersionSkew\x1b[24m\x1b[22m',
        '',
        '\x1b[1mMeaning\x1b[22m',
        '',
        '• \x1b[1mK > A_min\x1b[22m: see \x1b[36mdetails.nodes\x1b[39m and the policy (https://kubernetes.io/x)',
        '',
        '  \x1b[36m   kubectl get nodes\x1b[39m',
      ].join('\n'),
    );
  });
});
