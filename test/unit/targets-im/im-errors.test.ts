import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import { imAnswerError } from '../../../main/targets/im';
import { isTransient, imNetworkError } from '../../../main/targets/im/im-errors';
import { logGist } from '../../../main/targets/im/logs';

const context = { what: 'create the infrastructure', who: 'IM at http://im.example:8800', document: 'TOSCA of demo' };

// Answers of IM 2.0.0 on the test bed, as they came.
const FLOAT_TRACEBACK = JSON.stringify({
  message:
    'Error parsing request body: Error parsing TOSCA template: \nThe pre-parsed input failed validation with the following error(s): \n\n\tValueError: "1" is not a float.\n\t\tFile /srv/launch_im.py, line 23, in <module>\n\t\t\tim_service.main()\n\t\tFile /venv/IM/im_service.py, line 200, in main\n\t\t\tlaunch_daemon()\n',
  code: 400,
});
const YAML_ERROR = JSON.stringify({
  message:
    "Error parsing request body: Error parsing TOSCA template: while parsing a flow sequence\n  in \"<unicode string>\", line 7, column 8:\n      bad: [\n           ^\nexpected ',' or ']', but got ':'\n  in \"<unicode string>\", line 9, column 19:\n          requirements:\n                      ^",
  code: 400,
});

describe("IM's refusals", () => {
  it('keeps the lines before a traceback, never the traceback', () => {
    const error = imAnswerError(400, FLOAT_TRACEBACK, context);
    assert.equal(error.code, 'invalid_input');
    assert.equal(
      error.message,
      'IM at http://im.example:8800 refused to create the infrastructure (HTTP 400): Error parsing request body: Error parsing TOSCA template: The pre-parsed input failed validation with the following error(s): ValueError: "1" is not a float.',
    );
  });

  it('names the TOSCA line where IM points at one (the problem mark, not the context)', () => {
    const error = imAnswerError(400, YAML_ERROR, context);
    assert.equal(error.line, 9);
    assert.equal(error.file, 'TOSCA of demo');
    assert.match(
      formatError(error),
      /^TOSCA of demo:9: IM at .* refused to create the infrastructure \(HTTP 400\): Error parsing request body: .*expected ',' or '\]', but got ':'/,
    );
  });

  it('tells an expired token (renewing helps) from a user outside the required group (it does not)', () => {
    const expired = imAnswerError(
      401,
      JSON.stringify({ message: 'Error Getting Inf. List: OIDC auth Token expired.', code: 401 }),
      context,
    );
    assert.equal(expired.code, 'unauthorized');
    const outside = imAnswerError(
      401,
      JSON.stringify({
        message: 'Error Getting Inf. List: Invalid InfrastructureManager credentials. User not in configured groups.',
        code: 401,
      }),
      context,
    );
    assert.equal(outside.code, 'forbidden');
    assert.match(outside.message, /Ask your site to add you to the group IM requires\.$/);
    assert.equal(imAnswerError(403, '{"message": "Access denied", "code": 403}', context).code, 'forbidden');
  });

  it('an infrastructure IM does not know is not_found; a delete without the cluster line says what the profile lacks', () => {
    assert.equal(
      imAnswerError(
        404,
        JSON.stringify({ message: 'Error Getting Inf. prop: Invalid infrastructure ID or access not granted.', code: 404 }),
        context,
      ).code,
      'not_found',
    );
    const remove = imAnswerError(
      400,
      JSON.stringify({
        message: 'Error Destroying Inf: Error destroying the infrastructure: No auth data has been specified to Kubernetes.',
        code: 400,
      }),
      { what: 'delete infrastructure x', who: 'IM at http://im.example:8800' },
    );
    assert.match(
      remove.message,
      /IM needs a Kubernetes credential line in its header for this: the site profile must set targets\.im\.kubernetesLine\.$/,
    );
  });

  it('a proxy page instead of IM is said by status alone', () => {
    assert.equal(
      imAnswerError(502, '<html><body>Bad Gateway</body></html>', context).message,
      'IM at http://im.example:8800 refused to create the infrastructure (HTTP 502): HTTP 502',
    );
  });

  it('retries what is transient only, and a create only when IM surely did not act on it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    assert.equal(isTransient(refused, undefined, false), true);
    assert.equal(isTransient(reset, undefined, true), true, "undici's code is found in the cause");
    assert.equal(isTransient(reset, undefined, false), false, 'a reset create may have been created');
    assert.deepEqual(
      [502, 503, 504, 500, 400, 401].map((status) => isTransient(undefined, status, true)),
      [true, true, true, false, false, false],
    );
    assert.deepEqual(
      [502, 503, 504].map((status) => isTransient(undefined, status, false)),
      [false, true, false],
    );
    assert.equal(
      imNetworkError(refused, context).message,
      'IM at http://im.example:8800 could not create the infrastructure: the connection was refused (is it running?).',
    );
  });

  it("IM's log in a failure message: the API server's words, each attempt once", () => {
    const status = (message: string): string =>
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', code: 403 });
    const log = [
      `2026-11-23 22:42:33.535159: Error launching the VMs of type minio-25f1808a to cloud ID k8s of type Kubernetes. Attempt 1: Error creating the Container: ${status('deployments.apps is forbidden: User "alice" cannot create resource "deployments"')}`,
      `Attempt 2: Error creating the Container: ${status('deployments.apps is forbidden: User "alice" cannot create resource "deployments"')}`,
    ].join('\n');
    assert.equal(
      logGist(log),
      'Error launching the VMs of type minio-25f1808a to cloud ID k8s of type Kubernetes. / Error creating the Container: deployments.apps is forbidden: User "alice" cannot create resource "deployments"',
    );
  });
});
