// What a node leaves on the host if its processes are simply killed: container
// processes and conmons or shims (they are not children of the run), cgroups in
// every hierarchy, and the CNI bridge. One shell script removes them all, so the
// same thing runs at a normal teardown and, synchronously, on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { BRIDGE_PREFIX } from './cni.ts';
import { unmountedControllers } from './node-namespace.ts';

interface NodeLeftovers {
  /** The node's cgroup, without the leading slash (sigproof-node-…). */
  cgroup: string;
  /** The node's dir: any process whose command line names it belongs to the node (conmon, shims). */
  dir: string;
  bridge: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The script: kill the node's processes until none is left (a deadline of
 * polls, never a fixed wait), remove its cgroups deepest first in every mounted
 * hierarchy and, in a throw-away mount namespace, in the controllers only the
 * node mounted (hugetlb on this machine), then delete the bridge.
 */
export function nodeCleanupScript(n: NodeLeftovers, host: { procCgroups: string; mountinfo: string }): string {
  const hidden = unmountedControllers(host.procCgroups, host.mountinfo);
  return [
    `cg=${q(n.cgroup)}; dir=${q(n.dir)}`,
    'pids() {',
    '  find /sys/fs/cgroup -path "*/$cg*" -name cgroup.procs -exec cat {} + 2>/dev/null',
    // The needle comes on stdin, so grep's own command line does not match; this script's (cg=…) is skipped.
    '  printf "%s\\n" "$dir" | grep -laF -f - /proc/[0-9]*/cmdline 2>/dev/null | while read -r f; do',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    '    case "$(tr "\\0" " " < "$f" 2>/dev/null)" in *"cg="*) ;; *) p=${f#/proc/}; echo "${p%/cmdline}" ;; esac',
    '  done',
    '}',
    // Polled with a deadline (200 rounds of 50 ms): each round kills what is left and looks again.
    'i=0',
    'while [ -n "$(pids)" ] && [ $i -lt 200 ]; do kill -9 $(pids) 2>/dev/null; i=$((i+1)); sleep 0.05; done',
    'find /sys/fs/cgroup -depth -type d -path "*/$cg*" -exec rmdir {} + 2>/dev/null',
    ...hidden.map((c) => `t=$(mktemp -d) && unshare --mount --propagation private sh -c "mount -t cgroup -o ${c} cgroup $t && find $t -depth -type d -path \\"$t/$cg*\\" -exec rmdir {} + ; umount $t" 2>/dev/null; rmdir "$t"`),
    `ip link delete ${q(n.bridge)} 2>/dev/null`,
    'exit 0',
  ].join('\n');
}

/**
 * What nodes left on the host, for the test command's leftover check: node
 * cgroups in any hierarchy (those only a node mounted are looked at in a
 * throw-away mount namespace) and CNI bridges.
 */
export function nodeLeftovers(): string[] {
  const found: string[] = [];
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  const hidden = unmountedControllers(readFileSync('/proc/cgroups', 'utf8'), mountinfo);
  const look = [
    'find /sys/fs/cgroup -maxdepth 2 -type d -name "sigproof-node-*" 2>/dev/null',
    ...hidden.map((c) => `t=$(mktemp -d) && unshare --mount --propagation private sh -c "mount -t cgroup -o ${c} cgroup $t && find $t -maxdepth 1 -type d -name 'sigproof-node-*' | sed 's|^$t|hidden ${c} hierarchy: |'; umount $t" 2>/dev/null; rmdir "$t"`),
  ].join('\n');
  const res = spawnSync('/bin/sh', ['-c', look], { encoding: 'utf8', timeout: 30_000 });
  for (const line of (res.stdout ?? '').split('\n').filter(Boolean)) found.push(`cgroup ${line} was not removed`);
  for (const link of readdirSync('/sys/class/net').filter((l) => l.startsWith(BRIDGE_PREFIX))) found.push(`network link ${link} was not deleted`);
  return found;
}
