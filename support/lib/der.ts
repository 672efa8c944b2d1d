// ECDSA signature encodings. openssl prints DER SEQUENCE { INTEGER r, INTEGER s };
// notation (COSE/JWS) wants IEEE P1363: r || s, each a fixed-size big-endian half.

// The size of each half for a curve is a key-type fact: p1363Half in key-types.ts.

export function derToP1363(der: Buffer, size: number): Buffer {
  let offset = 0;
  const byte = (): number => {
    if (offset >= der.length) throw new Error('truncated DER signature');
    return der[offset++] as number;
  };
  const readLength = (): number => {
    let len = byte();
    if (len & 0x80) {
      const bytes = len & 0x7f;
      len = 0;
      for (let i = 0; i < bytes; i++) len = (len << 8) | byte();
    }
    return len;
  };
  if (byte() !== 0x30) throw new Error('not a DER SEQUENCE');
  readLength();
  const halves: Buffer[] = [];
  for (let i = 0; i < 2; i++) {
    if (byte() !== 0x02) throw new Error('not a DER INTEGER');
    const len = readLength();
    if (offset + len > der.length) throw new Error('truncated DER signature');
    let int = der.subarray(offset, offset + len);
    offset += len;
    while (int.length > size && int[0] === 0) int = int.subarray(1);
    if (int.length > size) throw new Error(`integer of ${int.length} bytes does not fit in ${size}`);
    const padded = Buffer.alloc(size);
    int.copy(padded, size - int.length);
    halves.push(padded);
  }
  return Buffer.concat(halves);
}

/** IEEE P1363 r || s back to DER, for cosign (which wants ASN.1). */
export function p1363ToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    // A set high bit would read as negative: DER prefixes a zero byte.
    if ((v[0] as number) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** Whether bytes are exactly the DER a curve with halves of this size gives (what openssl prints). */
export function isDerSignature(bytes: Buffer, size: number): boolean {
  try {
    return p1363ToDer(derToP1363(bytes, size)).equals(bytes);
  } catch {
    return false;
  }
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
