/**
 * What the core says reaches an Italian user in Italian: a capability reason,
 * a deploy line with Kubernetes' own words inside, a status with a drift
 * nested in it; and a status stored before statuses were messages (English,
 * no id) shows as it was written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import i18next from 'i18next';
import { say } from '../../../main/messages/message';
import { podSaid } from '../../../main/targets/kube/progress-text';
import { en } from '../../../renderer/i18n/en';
import { it as italian } from '../../../renderer/i18n/it';
import { sayWith, statusMessage } from '../../../renderer/i18n/say';

const i18n = i18next.createInstance();
await i18n.init({
  resources: { en: { translation: en }, it: { translation: italian } },
  lng: 'it',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
const sayIt = (said: Parameters<typeof sayWith>[1]): string => sayWith(i18n, said);

describe('core messages in Italian', () => {
  it("says IM's capability reasons, plural forms included", () => {
    assert.equal(
      sayIt(say('im.envInlined', { count: 2, variables: 'A, B' })),
      'A, B ricevono il valore segreto generato scritto nel documento TOSCA e nel Deployment: il connettore di IM non può fare riferimento a un Secret',
    );
    assert.equal(
      sayIt(say('im.serviceAccount', { account: 'hub' })),
      'gira come ServiceAccount "hub", che il connettore Kubernetes di IM non può impostare',
    );
  });

  it("says a deploy line in Italian, keeping Kubernetes' own words", () => {
    const line = podSaid('worker-x', 'waiting', { reason: 'ErrImagePull', message: 'manifest unknown', restarts: 2 });
    assert.equal(line.text, 'worker-x: cannot pull its image: manifest unknown');
    assert.equal(sayIt(line), 'worker-x: non riesce a scaricare la sua immagine: manifest unknown');
    assert.equal(
      sayIt(say('deploy.ready', { readiness: say('readiness.all', { count: 5 }) })),
      'Pronto: tutti i 5 carichi di lavoro pronti.',
    );
  });

  it('says a status with its parts nested, and shows an old English status as it was stored', () => {
    const change = say('drift.changed', { object: 'Deployment w', field: 'spec.replicas', found: '3', expected: '1', manager: 'kubectl' });
    const drifted = say('status.drifted', { change });
    const stored = { message: drifted.text, id: drifted.id, params: drifted.params };
    assert.equal(
      statusMessage(sayIt, stored),
      'Cambiato fuori dall’app: Deployment w: spec.replicas vale 3, atteso 1 (cambiato da kubectl). Ripristina applica di nuovo il piano registrato.',
    );
    assert.equal(statusMessage(sayIt, { message: '1/1 pods ready' }), '1/1 pods ready');
    assert.equal(statusMessage(sayIt, {}), undefined);
  });
});
