import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatcherError } from '../../../main/targets/dispatcher';

const who = 'the dispatcher at https://dispatcher.example';
const Who = 'The dispatcher at https://dispatcher.example';

describe("the dispatcher's refusals (as infn-datacloud/im-connector answers)", () => {
  it('a token it cannot verify (expired, bad signature, none) is unauthorized: renewing may help', () => {
    for (const body of [
      { detail: 'Not authenticated' },
      { detail: 'Invalid authentication credentials' },
      { detail: { error: 'Unauthenticated', error_description: 'Could not verify JWT: Signature has expired' } },
    ]) {
      assert.equal(dispatcherError(403, JSON.stringify(body), who).code, 'unauthorized', JSON.stringify(body));
    }
  });

  it('an identity provider it does not trust is forbidden, said plainly', () => {
    const error = dispatcherError(
      403,
      JSON.stringify({ detail: { error: 'Unauthenticated', error_description: 'Issuer is not trusted: https://other.example' } }),
      who,
    );
    assert.equal(error.code, 'forbidden');
    assert.equal(
      error.message,
      `${Who} refused the token (HTTP 403): Issuer is not trusted: https://other.example. The dispatcher does not trust the identity provider you signed in with.`,
    );
  });

  it("IM's refusals arrive as bare reason phrases: the message says IM's own words were lost", () => {
    const unauthorized = dispatcherError(401, JSON.stringify({ detail: 'Unauthorized' }), who);
    assert.equal(unauthorized.code, 'unauthorized');
    const bad = dispatcherError(400, JSON.stringify({ detail: 'Bad Request' }), who);
    assert.equal(bad.code, 'invalid_input');
    assert.equal(
      bad.message,
      `${Who}: IM refused the TOSCA document (HTTP 400 Bad Request); the dispatcher does not pass on IM's own message.`,
    );
  });

  it('a missing body field names it; IM unreachable behind it is unavailable', () => {
    const missing = dispatcherError(
      422,
      JSON.stringify({ detail: [{ type: 'missing', loc: ['body', 'tosca_template'], msg: 'Field required' }] }),
      who,
    );
    assert.equal(missing.message, `${Who} refused the request (HTTP 422): body.tosca_template: Field required`);
    const down = dispatcherError(500, 'Internal Server Error', who);
    assert.equal(down.code, 'unavailable');
    assert.equal(down.message, `${Who} failed (HTTP 500); it may not reach IM.`);
  });
});
