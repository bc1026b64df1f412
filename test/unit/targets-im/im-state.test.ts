import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imStateText, imStateToPhase, vmSummary } from '../../../main/targets/im';

describe("IM's states in the app's words", () => {
  it('maps every state IM 2.0 has', () => {
    const phases = Object.fromEntries(
      ['pending', 'running', 'configured', 'unconfigured', 'stopped', 'off', 'failed', 'deleting', 'unknown'].map((state) => [
        state,
        imStateToPhase(state).phase,
      ]),
    );
    assert.deepEqual(phases, {
      pending: 'Pending',
      running: 'Deploying',
      configured: 'Ready',
      unconfigured: 'Degraded',
      stopped: 'Degraded',
      off: 'Degraded',
      failed: 'Failed',
      deleting: 'Deleting',
      unknown: 'Unknown',
    });
  });

  it('says which states are final, so waiting stops there', () => {
    assert.deepEqual(
      ['configured', 'failed', 'unconfigured', 'pending', 'running'].map((state) => imStateToPhase(state).final),
      [true, true, true, false, false],
    );
  });

  it('a state it does not know is Unknown, naming the state, never a crash', () => {
    for (const state of ['hibernating', '', 'constructor', '__proto__', 'toString']) {
      const phase = imStateToPhase(state);
      assert.equal(phase.phase, 'Unknown', state);
      assert.equal(phase.message, `IM answered a state the app does not know: "${state}"`);
    }
  });

  it('sums up the containers', () => {
    assert.equal(vmSummary({ 0: 'configured', 1: 'pending', 2: 'configured' }), '2 configured, 1 pending');
    assert.equal(vmSummary({}), '');
    assert.equal(imStateText('running', { 0: 'configured', 1: 'pending' }), 'IM: running (1 configured, 1 pending)');
    assert.equal(imStateText('configured', { 0: 'configured', 1: 'configured' }), 'IM: configured (2 containers)');
    assert.equal(imStateText('configured', { 0: 'configured' }), 'IM: configured (1 container)');
    assert.equal(imStateText('pending', {}), 'IM: pending');
  });
});
