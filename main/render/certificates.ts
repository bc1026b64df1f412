/**
 * A certificate authority and the certificates it signs, made for one
 * environment (Dask's mutual TLS through IM): P-256 keys and ECDSA signatures
 * from Node's crypto, the X.509 structures encoded by @peculiar/asn1-x509.
 * Synchronous because rendering a plan is; @peculiar/x509's generator only
 * runs on asynchronous WebCrypto. The authority's private key is never kept:
 * once its certificates are signed no one can sign another, and a new set is
 * made whenever one of them is missing.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_kp_clientAuth,
  id_kp_serverAuth,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';
// Long enough for an environment's life; a resize through IM makes a new set anyway.
const VALID_DAYS = 825;

/** PEM text: the authority's certificate alone, each other one followed by its private key. */
export type CertificateSet = { ca: string } & Record<string, string>;

/** An authority named after the environment and one certificate per name (usable by servers and clients alike). */
export function certificateSet(organization: string, names: readonly string[], now = new Date()): CertificateSet {
  const authority = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = distinguishedName(`${organization} CA`, organization);
  const caPem = certificatePem({
    subject: issuer,
    issuer,
    publicKey: authority.publicKey,
    signer: authority.privateKey,
    authority: true,
    now,
  });
  const set: CertificateSet = { ca: caPem };
  for (const name of names) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = certificatePem({
      subject: distinguishedName(name, organization),
      issuer,
      publicKey: pair.publicKey,
      signer: authority.privateKey,
      authority: false,
      now,
    });
    set[name] = `${pem}${pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()}`;
  }
  return set;
}

/** The private key inside a certificate's PEM text, for checks. */
export function privateKeyOf(pem: string): KeyObject {
  return createPrivateKey(pem);
}

interface CertificateSpec {
  subject: Name;
  issuer: Name;
  publicKey: KeyObject;
  signer: KeyObject;
  authority: boolean;
  now: Date;
}

function certificatePem(spec: CertificateSpec): string {
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  // A positive 16-byte serial in minimal DER: first byte 0x01-0x7f (no sign byte needed, no leading zero).
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const notBefore = new Date(spec.now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(spec.now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000);
  const usage = spec.authority
    ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature
    : KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement;
  const extensions = [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: spec.authority })),
    extension(id_ce_keyUsage, true, new KeyUsage(usage)),
  ];
  if (!spec.authority) extensions.push(extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])));
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.byteLength),
    signature: algorithm,
    issuer: spec.issuer,
    validity: new Validity({ notBefore, notAfter }),
    subject: spec.subject,
    subjectPublicKeyInfo: AsnConvert.parse(spec.publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  // Node signs ECDSA in DER (ECDSA-Sig-Value), as X.509 wants it.
  const signature = sign('sha256', tbsDer, spec.signer);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength),
  });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function extension(id: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function distinguishedName(commonName: string, organization: string): Name {
  const attribute = (type: string, value: string): RelativeDistinguishedName =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })]);
  return new Name([attribute(ORGANIZATION, organization), attribute(COMMON_NAME, commonName)]);
}
