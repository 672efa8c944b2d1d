// Driver for GNU tar: the air-gap archive of an OCI layout, and reproducible image layers.
import { mkdirSync } from 'node:fs';
import { runChecked } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

export async function archiveDir(dir: string, archive: string): Promise<void> {
  await runChecked(tool('tar'), ['-cf', archive, '-C', dir, '.'], { what: `archive ${dir} into ${archive}` });
}

export async function extractArchive(archive: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await runChecked(tool('tar'), ['-xf', archive, '-C', dir], { what: `extract ${archive} into ${dir}` });
}

/** A tar stream of `entries` under `root` with fixed order, times and owners: one content, one digest. */
export async function reproducibleTar(root: string, entries: string[]): Promise<Buffer> {
  const res = await runChecked(tool('tar'), ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-cf', '-', '-C', root, ...entries], {
    binaryStdout: true,
    what: `make a reproducible tar of ${entries.join(', ')} under ${root}`,
  });
  return res.stdoutBytes ?? Buffer.alloc(0);
}
