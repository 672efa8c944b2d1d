// The key types the PKI profiles, signers and the notation plugin know, and every
// fact the tools fix for them, in one table: what openssl generates, what
// notation calls the key and signs with, what cosign picks, how long a raw
// signature is. The bottom layer: imports nothing, so the notation plugin (a
// standalone executable) and the signer scripts can read it too.

export const DIGESTS = ['sha256', 'sha384', 'sha512'] as const;
export type Digest = (typeof DIGESTS)[number];

interface CommonFacts {
  /** openssl genpkey arguments between `genpkey -quiet` and `-out FILE`. */
  readonly genpkey: readonly string[];
  /** Notation's key spec; also what signers get as SIGPROOF_KEY_SPEC. */
  readonly keySpec: string;
  /** What notation signs with: the key fixes it. Absent: notation has no such key spec. */
  readonly notation?: { readonly algorithm: string; readonly digest: Digest };
  /** What `cosign sign --key` uses, with no way to choose: sigstore's default per key type. */
  readonly cosignDefault: { readonly padding?: 'pkcs1'; readonly digest: Digest | 'none' };
  /** A raw signature's length in bytes; for ECDSA the IEEE P1363 r||s form (DER varies). */
  readonly signatureBytes: number;
}

interface RsaFacts extends CommonFacts {
  readonly family: 'rsa';
  /** Modulus length, as Node's asymmetricKeyDetails.modulusLength reports it. */
  readonly bits: number;
}

interface EcFacts extends CommonFacts {
  readonly family: 'ec';
  /** The NIST name openssl takes and messages show. */
  readonly curve: string;
  /** The name Node's asymmetricKeyDetails.namedCurve reports. */
  readonly namedCurve: string;
}

interface Ed25519Facts extends CommonFacts {
  readonly family: 'ed25519';
}

type KeyFacts = RsaFacts | EcFacts | Ed25519Facts;

/** An RSA key: notation signs RSASSA-PSS with the digest its size fixes; cosign uses PKCS#1 v1.5 with SHA-256. */
function rsa(bits: number, digest: Digest): RsaFacts {
  return {
    family: 'rsa',
    bits,
    genpkey: ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`],
    keySpec: `RSA-${bits}`,
    notation: { algorithm: `RSASSA-PSS-SHA-${digest.slice(3)}`, digest },
    cosignDefault: { padding: 'pkcs1', digest: 'sha256' },
    signatureBytes: bits / 8,
  };
}

/** A NIST curve: notation and cosign both sign with the curve's own digest; r||s is twice the field size. */
function ec(size: 256 | 384 | 521, namedCurve: string, digest: Digest): EcFacts {
  return {
    family: 'ec',
    curve: `P-${size}`,
    namedCurve,
    genpkey: ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:P-${size}`, '-pkeyopt', 'ec_param_enc:named_curve'],
    keySpec: `EC-${size}`,
    notation: { algorithm: `ECDSA-SHA-${digest.slice(3)}`, digest },
    cosignDefault: { digest },
    signatureBytes: 2 * Math.ceil(size / 8),
  };
}

// Order matters: error messages list the names in this order.
const TABLE = {
  'rsa-2048': rsa(2048, 'sha256'),
  'rsa-3072': rsa(3072, 'sha384'),
  'rsa-4096': rsa(4096, 'sha512'),
  'ec-p256': ec(256, 'prime256v1', 'sha256'),
  'ec-p384': ec(384, 'secp384r1', 'sha384'),
  'ec-p521': ec(521, 'secp521r1', 'sha512'),
  // Pure Ed25519: no pre-hash, so cosign's digest is "none"; notation has no key spec for it.
  ed25519: { family: 'ed25519', genpkey: ['-algorithm', 'ED25519'], keySpec: 'ED25519', cosignDefault: { digest: 'none' }, signatureBytes: 64 } as Ed25519Facts,
} satisfies Record<string, KeyFacts>;

export type KeyType = keyof typeof TABLE;
export const KEY_TYPE_TABLE: Readonly<Record<KeyType, KeyFacts>> = TABLE;
export const KEY_TYPES = Object.keys(TABLE) as readonly KeyType[];

function isKeyType(name: string): name is KeyType {
  return Object.hasOwn(TABLE, name);
}

/** The facts of a key type; an unknown name lists the known ones. */
export function keyFacts(name: string): KeyFacts {
  if (!isKeyType(name)) throw new Error(`unknown key type "${name}". Known key types: ${KEY_TYPES.join(', ')}`);
  return TABLE[name];
}

/** The facts of a key type, or undefined: for callers whose own message names the problem. */
export function findKeyFacts(name: string): KeyFacts | undefined {
  return isKeyType(name) ? TABLE[name] : undefined;
}

/** The first key type whose facts pass the test (e.g. a key spec or a curve read from a certificate). */
export function findKeyType(test: (facts: KeyFacts) => boolean): KeyType | undefined {
  return KEY_TYPES.find((k) => test(TABLE[k]));
}

export function isRsa(key: KeyType): boolean {
  return TABLE[key].family === 'rsa';
}

/** Bytes in each of r and s of an ECDSA signature (IEEE P1363); undefined for other keys. */
export function p1363Half(key: KeyType): number | undefined {
  const facts = TABLE[key];
  return facts.family === 'ec' ? facts.signatureBytes / 2 : undefined;
}

/** A digest as notation and the plugin contract spell it: sha384 -> SHA-384. */
export function hashName(digest: Digest): string {
  return `SHA-${digest.slice(3)}`;
}
