// Bring your own certificates: a PKI profile that points at existing files (or
// at a script that writes them) instead of being generated. The files are
// checked before any tool sees them, and every problem names the file and the
// reason. What every use needs is an error here:
//   - the chain verifies: leaf <- intermediate(s), if any, <- root, and the root signs itself;
//   - the key matches the leaf, and is a type the signers support;
//   - the leaf is not a CA and is valid now; every CA certificate is a CA with keyCertSign.
// What only some verifiers need of the leaf (pki-rules.ts) is returned as a
// breach, which stops a scenario only where such a verifier takes part.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { KEY_TYPES, KEY_TYPE_TABLE, findKeyType, type KeyType } from '../lib/key-types.ts';
import type { RuleBreach } from './pki-rules.ts';

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
const ANY_EKU = '2.5.29.37.0';
// notation-core-go refuses these in a signing leaf.
const FORBIDDEN_EKU: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning' };

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

/** Check the files; returns what the scenarios need to know about the leaf, and the verifier rules it breaks. */
export async function validateByoPki(files: ByoFiles, now = new Date()): Promise<{ facts: LeafFacts; breaches: RuleBreach[] }> {
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

  if (leaf.ca) throw new ByoPkiError(`${files.leafCert}: the leaf is a CA certificate; signers need an end-entity certificate`);
  if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo)) {
    throw new ByoPkiError(`${files.leafCert}: the leaf is not valid now (valid from ${leaf.validFrom} to ${leaf.validTo})`);
  }
  for (const [i, ca] of [...intermediates, root].entries()) {
    if (!/Certificate Sign/.test(await keyUsageOf(ca))) throw new ByoPkiError(`${names[i + 1]}: a CA certificate without keyCertSign in its keyUsage`);
  }
  const key = keyTypeOf(leaf, files.leafCert);

  // What only some verifiers need (pki-rules.ts).
  const breaches: RuleBreach[] = [];
  const breach = (rule: RuleBreach['rule'], problem: string) => breaches.push({ rule, problem: `${files.leafCert}: ${problem}` });
  const ku = (await extensions(files.leafCert))['Key Usage'];
  if (!ku?.critical || ku.value !== 'Digital Signature') breach('key-usage', `keyUsage must be critical and hold only digitalSignature; it is ${ku ? `${ku.critical ? 'critical, ' : 'not critical, '}${ku.value}` : 'absent'}`);
  // No extended key usage at all is fine for every verifier (pki-rules.feature); one without codeSigning is not.
  const eku = leaf.keyUsage ?? [];
  if (leaf.keyUsage && !eku.includes(CODE_SIGNING) && !eku.includes(ANY_EKU)) breach('eku-code-signing', 'the extendedKeyUsage lacks codeSigning (add it, or leave the extension out)');
  const forbidden = eku.filter((o) => FORBIDDEN_EKU[o]).map((o) => FORBIDDEN_EKU[o]);
  if (forbidden.length) breach('eku-forbidden', `the extendedKeyUsage holds ${forbidden.join(', ')}`);
  const fields = Object.fromEntries(leaf.subject.split('\n').map((l) => l.split('=') as [string, string]));
  const lacking = ['C', 'ST', 'O'].filter((f) => !fields[f]);
  if (lacking.length) breach('subject-c-st-o', `the leaf subject lacks ${lacking.join(', ')}`);
  const san = leaf.subjectAltName ?? '';
  const email = /email:([^,\s]+)/.exec(san)?.[1] ?? '';
  const uri = /URI:([^,\s]+)/.exec(san)?.[1] ?? '';
  if (!email && !uri) breach('san-identity', 'the leaf has no email or URI subjectAltName');
  if (!email) breach('san-email', 'the leaf has no email subjectAltName');
  return { facts: { key, organization: fields.O ?? '', email, uri, subject: leaf.subject.split('\n').join(', ') }, breaches };
}

/** keyUsage of one certificate of a (possibly multi-certificate) file. */
async function keyUsageOf(cert: X509Certificate): Promise<string> {
  const res = await runCommand(tool('openssl'), ['x509', '-noout', '-ext', 'keyUsage'], { input: cert.toString() });
  return res.stdout;
}

/**
 * What a PKI script wrote, in one of two layouts: sigproof's (root.pem,
 * intermediates.pem, leaf.pem, leaf.key) or the proof of concept's scripts'
 * (ca.crt, sub-ca.crt, leaf.crt, leaf.key, certificate_chain.pem), where
 * sub-ca.crt is absent for a root-and-leaf PKI and certificate_chain.pem must
 * be the leaf followed by its issuers.
 */
export function scriptOutput(profile: string, script: string, dir: string): ByoFiles {
  const at = (f: string) => join(dir, f);
  const poc = !existsSync(at('root.pem')) && existsSync(at('ca.crt'));
  const files: ByoFiles = poc ? { root: at('ca.crt'), intermediates: existsSync(at('sub-ca.crt')) ? at('sub-ca.crt') : undefined, leafCert: at('leaf.crt'), leafKey: at('leaf.key') } : { root: at('root.pem'), intermediates: at('intermediates.pem'), leafCert: at('leaf.pem'), leafKey: at('leaf.key') };
  const absent = Object.values(files).filter((f): f is string => f !== undefined && !existsSync(f));
  if (absent.length)
    throw new ByoPkiError(`PKI profile "${profile}": the script ${script} did not write ${absent.map((f) => f.slice(dir.length + 1)).join(', ')} into the directory it was given (write root.pem, intermediates.pem, leaf.pem and leaf.key, or ca.crt, sub-ca.crt, leaf.crt, leaf.key and certificate_chain.pem)`);
  if (poc) checkChainFile(at('certificate_chain.pem'), files);
  return files;
}

/** certificate_chain.pem of the proof of concept's layout: the leaf first, then certificates of the PKI's own. */
function checkChainFile(file: string, files: ByoFiles): void {
  if (!existsSync(file)) throw new ByoPkiError(`${file}: no such file (the proof of concept's layout has the leaf and its issuers in certificate_chain.pem)`);
  const blocks = (f: string) => (readFileSync(f, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((b) => b.replace(/\s+/g, ''));
  const chain = blocks(file);
  const known = [files.leafCert, ...(files.intermediates ? [files.intermediates] : []), files.root].flatMap(blocks);
  if (chain[0] !== blocks(files.leafCert)[0]) throw new ByoPkiError(`${file}: the first certificate is not the leaf of leaf.crt`);
  const stranger = chain.findIndex((c) => !known.includes(c));
  if (stranger >= 0) throw new ByoPkiError(`${file}: certificate ${stranger + 1} is none of ca.crt, sub-ca.crt and leaf.crt`);
}
