// Bring your own certificates: a PKI profile that points at existing files (or
// at a script that writes them) instead of being generated. The files are
// checked before any tool sees them, and every problem names the file and the
// reason:
//   - the chain verifies: leaf <- intermediate(s), if any, <- root, and the root signs itself;
//   - the key matches the leaf;
//   - the leaf has what notation and cosign need: keyUsage critical with only
//     digitalSignature, the codeSigning EKU and none of serverAuth, clientAuth
//     or emailProtection, not a CA, valid now, and a subject with C, ST and O
//     (notation's x509.subject identities need them);
//   - every CA certificate is a CA with keyCertSign.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { runCommand } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { KEY_TYPES, KEY_TYPE_TABLE, findKeyType, type KeyType } from '../lib/key-types.ts';

export interface ByoFiles {
  root: string;
  /** Absent for a PKI of root and leaf. */
  intermediates?: string;
  leafCert: string;
  leafKey: string;
}

interface LeafFacts {
  key: KeyType;
  organization: string;
  email: string;
  uri: string;
  /** notation's x509.subject form: "C=US, ST=California, O=Corp, CN=…" */
  subject: string;
}

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const FORBIDDEN_EKU: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.4': 'emailProtection' };

export class ByoPkiError extends Error {}

function certsIn(file: string): X509Certificate[] {
  if (!existsSync(file)) throw new ByoPkiError(`${file}: no such file`);
  const blocks = readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!blocks.length) throw new ByoPkiError(`${file}: holds no PEM certificate`);
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw new ByoPkiError(`${file}: certificate ${i + 1} does not parse: ${(err as Error).message}`);
    }
  });
}

function keyTypeOf(cert: X509Certificate, file: string): KeyType {
  const k = cert.publicKey;
  const d = k.asymmetricKeyDetails ?? {};
  const supported = KEY_TYPES.map((key) => KEY_TYPE_TABLE[key]);
  if (k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'rsa-pss') {
    const bits = d.modulusLength;
    const key = findKeyType((f) => f.family === 'rsa' && f.bits === bits);
    if (key) return key;
    const sizes = supported.flatMap((f) => (f.family === 'rsa' ? [f.bits] : []));
    throw new ByoPkiError(`${file}: an RSA-${bits} leaf key is not one the signers support (${sizes.slice(0, -1).join(', ')} or ${sizes.at(-1)} bits)`);
  }
  if (k.asymmetricKeyType === 'ec') {
    const key = findKeyType((f) => f.family === 'ec' && f.namedCurve === d.namedCurve);
    if (key) return key;
    const curves = supported.flatMap((f) => (f.family === 'ec' ? [f.curve] : []));
    throw new ByoPkiError(`${file}: the EC curve ${d.namedCurve} is not one the signers support (${curves.join(', ')})`);
  }
  if (k.asymmetricKeyType === 'ed25519') return 'ed25519';
  throw new ByoPkiError(`${file}: a ${k.asymmetricKeyType} leaf key is not supported`);
}

/** The extension lines openssl prints, e.g. keyUsage -> "critical" + "Digital Signature". */
async function extensions(file: string): Promise<Record<string, { critical: boolean; value: string }>> {
  const res = await runCommand(tool('openssl'), ['x509', '-in', file, '-noout', '-ext', 'keyUsage,extendedKeyUsage,basicConstraints']);
  const out: Record<string, { critical: boolean; value: string }> = {};
  let current: string | undefined;
  for (const line of res.stdout.split('\n')) {
    const head = /^X509v3 (Key Usage|Extended Key Usage|Basic Constraints):\s*(critical)?/.exec(line.trim());
    if (head) {
      current = head[1] as string;
      out[current] = { critical: !!head[2], value: '' };
    } else if (current && line.trim()) {
      (out[current] as { value: string }).value += line.trim();
    }
  }
  return out;
}

/** Check the files; returns what the scenarios need to know about the leaf. */
export async function validateByoPki(files: ByoFiles, now = new Date()): Promise<LeafFacts> {
  const [root] = certsIn(files.root);
  const intermediates = files.intermediates ? certsIn(files.intermediates) : [];
  const [leaf] = certsIn(files.leafCert);
  if (!root || !leaf) throw new ByoPkiError('internal: no certificate');
  if (!existsSync(files.leafKey)) throw new ByoPkiError(`${files.leafKey}: no such file`);

  // The chain, leaf first: each certificate is signed by the next, the root by itself.
  const chain = [leaf, ...intermediates, root];
  const names = [files.leafCert, ...intermediates.map((_, i) => `${files.intermediates} (certificate ${i + 1})`), files.root];
  for (let i = 0; i < chain.length - 1; i++) {
    const [child, parent] = [chain[i] as X509Certificate, chain[i + 1] as X509Certificate];
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new ByoPkiError(`${names[i]}: the chain does not verify: "${child.subject.replace(/\n/g, ', ')}" is not signed by "${parent.subject.replace(/\n/g, ', ')}" (${names[i + 1]})`);
    }
  }
  if (!root.verify(root.publicKey)) throw new ByoPkiError(`${files.root}: the root is not self-signed`);
  for (const [i, ca] of [...intermediates, root].entries()) {
    const name = names[i + 1] as string;
    if (!ca.ca) throw new ByoPkiError(`${name}: a CA certificate in the chain is not a CA (basicConstraints CA:true is missing)`);
  }

  // The key and the leaf.
  let keyDer: Buffer;
  try {
    keyDer = createPublicKey(createPrivateKey(readFileSync(files.leafKey))).export({ type: 'spki', format: 'der' });
  } catch (err) {
    throw new ByoPkiError(`${files.leafKey}: not a private key openssl and Node can read: ${(err as Error).message}`);
  }
  if (!keyDer.equals(leaf.publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new ByoPkiError(`${files.leafKey}: the key does not match the leaf certificate ${files.leafCert}`);
  }

  // What notation and cosign need of the leaf.
  if (leaf.ca) throw new ByoPkiError(`${files.leafCert}: the leaf is a CA certificate; signers need an end-entity certificate`);
  if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo)) {
    throw new ByoPkiError(`${files.leafCert}: the leaf is not valid now (valid from ${leaf.validFrom} to ${leaf.validTo})`);
  }
  const ext = await extensions(files.leafCert);
  const ku = ext['Key Usage'];
  if (!ku?.critical || ku.value !== 'Digital Signature') {
    throw new ByoPkiError(`${files.leafCert}: keyUsage must be critical and hold only digitalSignature (notation refuses anything else); it is ${ku ? `${ku.critical ? 'critical, ' : 'not critical, '}${ku.value}` : 'absent'}`);
  }
  const eku = leaf.keyUsage ?? [];
  if (!eku.includes(CODE_SIGNING)) throw new ByoPkiError(`${files.leafCert}: the extendedKeyUsage lacks codeSigning, which cosign and CRI-O require`);
  const forbidden = eku.filter((o) => FORBIDDEN_EKU[o]).map((o) => FORBIDDEN_EKU[o]);
  if (forbidden.length) throw new ByoPkiError(`${files.leafCert}: the extendedKeyUsage holds ${forbidden.join(', ')}, which notation refuses for signing`);
  for (const [i, ca] of [...intermediates, root].entries()) {
    const caExt = await extensionsOf(ca, names[i + 1] as string, i < intermediates.length ? (files.intermediates as string) : files.root);
    if (!/Certificate Sign/.test(caExt)) throw new ByoPkiError(`${names[i + 1]}: a CA certificate without keyCertSign in its keyUsage`);
  }

  const fields = Object.fromEntries(leaf.subject.split('\n').map((l) => l.split('=') as [string, string]));
  for (const f of ['C', 'ST', 'O']) {
    if (!fields[f]) throw new ByoPkiError(`${files.leafCert}: the leaf subject lacks ${f}; notation's x509.subject identities need C, ST and O`);
  }
  const san = leaf.subjectAltName ?? '';
  const email = /email:([^,\s]+)/.exec(san)?.[1] ?? '';
  const uri = /URI:([^,\s]+)/.exec(san)?.[1] ?? '';
  if (!email && !uri) throw new ByoPkiError(`${files.leafCert}: the leaf has no email or URI subjectAltName; cosign verifies an identity from one of them`);
  return { key: keyTypeOf(leaf, files.leafCert), organization: fields.O as string, email, uri, subject: leaf.subject.split('\n').join(', ') };
}

/** keyUsage of one certificate of a (possibly multi-certificate) file. */
async function extensionsOf(cert: X509Certificate, _name: string, _file: string): Promise<string> {
  const res = await runCommand(tool('openssl'), ['x509', '-noout', '-ext', 'keyUsage'], { input: cert.toString() });
  return res.stdout;
}
