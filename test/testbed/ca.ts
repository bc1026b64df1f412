/**
 * A throw-away certificate authority made at test-bed start: every server
 * (API server, etcd, IdP, IM) and every client certificate (admin, the
 * control-plane components) chains to it, so tests trust exactly one file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto;
const keyAlgorithm: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const signingAlgorithm: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssueOptions {
  /** Client certificate (extended key usage clientAuth only); otherwise a server certificate. */
  clientAuth?: boolean;
  /** Subject CN; defaults to `name`. For Kubernetes client certificates this is the user name. */
  commonName?: string;
  /** Subject O entries; for Kubernetes client certificates these are the groups. */
  organizations?: string[];
}

export interface IssuedCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export interface Ca {
  certPem: string;
  certPath: string;
  keyPath: string;
  /** Issues a certificate named `name` (files `<name>.crt` / `<name>.key` in the CA's folder) for the given IP addresses and DNS names. */
  issue(name: string, hosts: string[], opts?: IssueOptions): Promise<IssuedCert>;
}

export async function createCa(dir: string): Promise<Ca> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caKeys = await generateKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: [{ CN: ['AF Provisioner test bed CA'] }],
      keys: caKeys,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 30 * DAY_MS),
      signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const certPem = caCert.toString('pem');
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  await writeFile(certPath, certPem, { mode: 0o644 });
  await writeFile(keyPath, await privateKeyPem(caKeys.privateKey), { mode: 0o600 });

  async function issue(name: string, hosts: string[], opts: IssueOptions = {}): Promise<IssuedCert> {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`certificate name "${name}" must be a plain file name`);
    const keys = await generateKeys();
    const subject: x509.JsonName = [{ CN: [opts.commonName ?? name] }];
    for (const organization of opts.organizations ?? []) subject.push({ O: [organization] });
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([opts.clientAuth === true ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
    ];
    if (hosts.length > 0) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(hosts.map((host) => ({ type: isIP(host) === 0 ? 'dns' : 'ip', value: host }))),
      );
    }
    const cert = await x509.X509CertificateGenerator.create(
      {
        subject,
        issuer: caCert.subject,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        notBefore: new Date(Date.now() - DAY_MS),
        notAfter: new Date(Date.now() + 30 * DAY_MS),
        signingAlgorithm,
        extensions,
      },
      crypto,
    );
    const issued: IssuedCert = {
      certPath: join(dir, `${name}.crt`),
      keyPath: join(dir, `${name}.key`),
      certPem: cert.toString('pem'),
      keyPem: await privateKeyPem(keys.privateKey),
    };
    await writeFile(issued.certPath, issued.certPem, { mode: 0o644 });
    await writeFile(issued.keyPath, issued.keyPem, { mode: 0o600 });
    return issued;
  }

  return { certPem, certPath, keyPath, issue };
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}
