import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { certificateSet, privateKeyOf } from '../../../main/render/certificates';
import { resolveSecrets } from '../../../main/render/secrets';
import type { RenderedSections } from '../../../main/catalogue/schema/template';

const TLS: RenderedSections = {
  components: {},
  secrets: {
    'dask-tls': {
      keys: {
        'ca.pem': { certificate: 'ca' },
        'scheduler.pem': { certificate: 'scheduler' },
        'client.pem': { certificate: 'client' },
      },
    },
  },
};

describe('certificates made per environment (Dask mutual TLS)', () => {
  it('an authority signs each certificate, which carries its own private key; the authority holds none', () => {
    const set = certificateSet('dask-tls', ['scheduler', 'client']);
    const ca = new X509Certificate(set.ca);
    assert.equal(ca.ca, true);
    assert.ok(ca.verify(ca.publicKey), 'self-signed authority');
    assert.doesNotMatch(set.ca, /PRIVATE KEY/, 'the authority key is dropped once the certificates are signed');
    for (const name of ['scheduler', 'client']) {
      const pem = set[name] ?? '';
      const certificate = new X509Certificate(pem);
      assert.equal(certificate.ca, false);
      assert.ok(certificate.verify(ca.publicKey), `${name} is signed by the authority`);
      assert.ok(certificate.checkIssued(ca));
      assert.match(certificate.subject, new RegExp(`CN=${name}`));
      assert.deepEqual(certificate.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], 'server and client authentication');
      const key = privateKeyOf(pem);
      assert.equal(
        createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('hex'),
        certificate.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'),
        `${name}'s key matches its certificate`,
      );
    }
  });

  it('two environments get two authorities: a certificate of one is not signed by the other', () => {
    const one = certificateSet('dask-tls', ['client']);
    const two = certificateSet('dask-tls', ['client']);
    assert.equal(new X509Certificate(one.client ?? '').verify(new X509Certificate(two.ca).publicKey), false);
  });

  it('kept certificates are kept together; one missing makes a whole new set', () => {
    const first = resolveSecrets(TLS);
    assert.ok(
      new X509Certificate(first['dask-tls.scheduler.pem'] ?? '').verify(new X509Certificate(first['dask-tls.ca.pem'] ?? '').publicKey),
    );
    assert.deepEqual(resolveSecrets(TLS, first), first);
    const { ['dask-tls.client.pem']: _dropped, ...partial } = first;
    const again = resolveSecrets(TLS, partial);
    assert.notEqual(again['dask-tls.ca.pem'], first['dask-tls.ca.pem']);
    assert.ok(
      new X509Certificate(again['dask-tls.client.pem'] ?? '').verify(new X509Certificate(again['dask-tls.ca.pem'] ?? '').publicKey),
    );
  });
});
