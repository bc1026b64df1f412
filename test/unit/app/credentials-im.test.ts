/**
 * The owner's credentials of an IM environment are read from the TOSCA IM
 * stores (here: the document the app renders, as IM would answer GET …/tosca),
 * at the places the record names: each user's JupyterLab token and MinIO keys,
 * and MinIO's root keys, as generated. A record from before the places were
 * recorded, or one IM has not named, says why instead; a document without
 * the value names the node and variable, never a value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readImCredentials } from '../../../main/app/credentials-im';
import type { EnvironmentRecord } from '../../../main/inventory/record';
import { toscaLocators } from '../../../main/render/tosca/credential-locators';
import { renderTosca } from '../../../main/render/tosca/render-tosca';
import type { Plan } from '../../../main/render/types';
import { imFacilityPlan } from '../render/im-facility';

function deployed(): { plan: Plan; record: EnvironmentRecord; tosca: string } {
  const plan = imFacilityPlan('bob');
  const located = toscaLocators(plan);
  const record: EnvironmentRecord = {
    id: 'id-1',
    name: 'af',
    template: { name: 'analysis-facility', version: '1.0.0' },
    values: {},
    target: { kind: 'im', imUrl: 'https://im.example.org', infrastructureId: 'inf-1' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    status: { phase: 'Ready', since: '2026-01-01T00:00:00Z' },
    objects: [],
    links: [],
    operations: [],
    credentials: plan.credentials.map((c) => ({ ...c, ...(located[c.id] === undefined ? {} : { tosca: located[c.id] }) })),
  };
  return { plan, record, tosca: renderTosca(plan).yaml };
}

const answering = (tosca: string, asked: string[] = []) => ({
  tosca: (id: string): Promise<string> => {
    asked.push(id);
    return Promise.resolve(tosca);
  },
});

describe('credentials of an IM environment, read from the TOSCA IM stores', () => {
  it("each user's JupyterLab token and MinIO keys, and MinIO's root keys, as generated", async () => {
    const { plan, record, tosca } = deployed();
    const asked: string[] = [];
    const view = await readImCredentials(record, answering(tosca, asked));
    assert.deepEqual(asked, ['inf-1'], "the record's infrastructure, asked once");
    assert.equal(view.unavailable, undefined);
    const shown = Object.fromEntries(view.credentials.map((c) => [c.title, [c.username, c.secret]]));
    assert.deepEqual(shown, {
      'MinIO console and API (root)': [plan.secretValues['minio-root.user'], plan.secretValues['minio-root.password']],
      'JupyterLab token (alice)': ['alice', plan.secretValues['lab-tokens.alice']],
      'JupyterLab token (bob)': ['bob', plan.secretValues['lab-tokens.bob']],
      'MinIO keys (alice)': ['lab-alice', plan.secretValues['lab-storage.alice']],
      'MinIO keys (bob)': ['lab-bob', plan.secretValues['lab-storage.bob']],
    });
    for (const [, secret] of Object.values(shown)) assert.ok((secret ?? '').length >= 16);
  });

  it('a record without the places (deployed by an earlier app), or not yet named by IM: none, and why, IM not asked', async () => {
    const { record, tosca } = deployed();
    const asked: string[] = [];
    const old = { ...record, credentials: (record.credentials ?? []).map(({ tosca: _at, ...rest }) => rest) };
    assert.match((await readImCredentials(old, answering(tosca, asked))).unavailable ?? '', /update it once to read them/);
    const unnamed = { ...record, target: { kind: 'im' as const, imUrl: 'https://im.example.org' } };
    assert.match((await readImCredentials(unnamed, answering(tosca, asked))).unavailable ?? '', /not named/);
    assert.deepEqual(asked, []);
  });

  it('a document IM garbled: an error that quotes none of it', async () => {
    const { plan, record, tosca } = deployed();
    const token = plan.secretValues['lab-tokens.bob'] ?? '';
    // YAML's own message would quote this line, token and all.
    const garbled = tosca.replace(`JUPYTER_TOKEN: ${token}`, `JUPYTER_TOKEN: ${token}: [`);
    assert.notEqual(garbled, tosca);
    await assert.rejects(readImCredentials(record, answering(garbled)), (error: Error) => {
      assert.match(error.message, /has no container nodes as the app wrote them/);
      assert.ok(!error.message.includes(token));
      return true;
    });
  });

  it('a document without the value: an error naming the node and variable, no value', async () => {
    const { plan, record, tosca } = deployed();
    const token = plan.secretValues['lab-tokens.bob'] ?? '';
    const changed = tosca.replace(/JUPYTER_TOKEN: \S+/g, 'OTHER: x');
    await assert.rejects(readImCredentials(record, answering(changed)), (error: Error) => {
      assert.match(error.message, /has no variable JUPYTER_TOKEN in node lab-(alice|bob)/);
      assert.ok(!error.message.includes(token));
      return true;
    });
  });
});
