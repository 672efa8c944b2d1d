// PKIs of the run: expensive to make (RSA-4096 keys) and read-only once made,
// so one per profile per worker, shared by its scenarios.
import { makeTempDir } from './lib/cleanup.ts';
import { type Pki, PkiFactory } from './pki/pki.ts';

let factory: PkiFactory | undefined;

export function pki(profile: string): Promise<Pki> {
  factory ??= new PkiFactory(makeTempDir('pki'));
  return factory.get(profile);
}
