/** clientVersionRef: the kubectl client's version out of `kubectl version` output, whatever the build prints. */
import { clientVersionRef } from '../../../../lib/collect/kubectl';

describe('clientVersionRef', () => {
  it('takes gitVersion, else major.minor without the "+" of vendor builds, else nothing', () => {
    expect(clientVersionRef({ gitVersion: 'v1.32.4-dispatcher', minor: '32+' }, 's')).toEqual({
      raw: 'v1.32.4-dispatcher',
      source: 's',
    });
    expect(clientVersionRef({ major: '1', minor: '32+', gitVersion: '' }, 's')).toEqual({
      raw: '1.32',
      source: 's',
    });
    expect(clientVersionRef({ major: '', minor: '' }, 's')).toBeUndefined();
    expect(clientVersionRef(undefined, 's')).toBeUndefined();
    expect(clientVersionRef('v1.30.0', 's')).toBeUndefined();
  });
});
