import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { describe, it } from 'node:test';
import { describeKubeError, isTransientKubeError } from '../../../main/kube/api-errors';

describe('API errors during a deploy', () => {
  it('an HTTP/2 connection that died under its requests is transient, like a reset', () => {
    for (const code of [
      'ECONNRESET',
      'ERR_HTTP2_STREAM_CANCEL',
      'ERR_HTTP2_GOAWAY_SESSION',
      'ERR_HTTP2_SESSION_ERROR',
      'ERR_HTTP2_INVALID_SESSION',
    ]) {
      assert.equal(isTransientKubeError(Object.assign(new Error('x'), { code })), true, code);
    }
    assert.equal(isTransientKubeError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })), false);
  });

  it('a namespace still terminating is said as such, not as an RBAC refusal', () => {
    const said = 'unable to create new content in namespace demo because it is being terminated';
    const error = describeKubeError(new ApiException(403, said, { kind: 'Status', message: said, reason: 'Forbidden', code: 403 }, {}), {
      object: 'Secret hub',
    });
    assert.equal(error.code, 'conflict');
    assert.equal(error.message, `Secret hub: Its namespace is still being deleted; try again when it is gone. ${said}`);
  });
});
