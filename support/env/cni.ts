// The node's pod network: the CNI plugins bridge, host-local and loopback from
// the pinned containernetworking/plugins, one bridge per node with a /24 of its
// own. No IP masquerading and no port mapping, so nothing needs iptables; pods
// only need an address, they never leave the node. The bridge and the veths
// are host network objects: the node's teardown deletes the bridge (the veths
// go with their network namespaces).
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from '../lib/cleanup.ts';
import { tool } from '../../toolchain/tool-paths.ts';

/** The plugins under the names CNI configs use, and the binary each is in .tools/bin. */
const PLUGINS = { bridge: 'cni-bridge', 'host-local': 'cni-host-local', loopback: 'cni-loopback' } as const;
/** Pod subnets are 10.244.<n>.0/24, n taken per node. */
const SUBNET_PREFIX = [10, 244] as const;
/** Bridges of the run are named spbr<hex>; the leftover check looks for the prefix. */
export const BRIDGE_PREFIX = 'spbr';

interface NodeNetwork {
  confDir: string;
  binDir: string;
  bridge: string;
  subnet: string;
}

export function bridgeConflist(bridge: string, subnet: string, dataDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'sigproof',
      plugins: [
        {
          type: 'bridge',
          bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: false,
          ipam: { type: 'host-local', ranges: [[{ subnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/** The third octets of 10.244.x.0 routes the host already has (another run, another tool). */
export function subnetsInUse(procNetRoute: string): Set<number> {
  const used = new Set<number>();
  for (const line of procNetRoute.split('\n').slice(1)) {
    const hex = line.split('\t')[1] ?? '';
    if (hex.length !== 8) continue;
    // /proc/net/route prints the destination in host (little-endian) byte order.
    const bytes = [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    if (bytes[0] === SUBNET_PREFIX[0] && bytes[1] === SUBNET_PREFIX[1]) used.add(bytes[2] as number);
  }
  return used;
}

/** A /24 no other node of this run took (an exclusive file per octet) and the host does not route. */
function takeSubnet(): string {
  const dir = join(RUN_DIR, 'node-subnets');
  mkdirSync(dir, { recursive: true });
  const used = subnetsInUse(readFileSync('/proc/net/route', 'utf8'));
  for (let n = 1; n < 255; n++) {
    if (used.has(n)) continue;
    try {
      writeFileSync(join(dir, String(n)), '', { flag: 'wx' });
      return `${SUBNET_PREFIX.join('.')}.${n}.0/24`;
    } catch {
      // taken by another node of this run
    }
  }
  throw new Error(`no free /24 left in ${SUBNET_PREFIX.join('.')}.0.0/16 for a node's pods`);
}

export function prepareNetwork(dir: string, id: string): NodeNetwork {
  const confDir = join(dir, 'cni', 'conf');
  const binDir = join(dir, 'cni', 'bin');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(binDir, { recursive: true });
  for (const [name, bin] of Object.entries(PLUGINS)) if (!existsSync(join(binDir, name))) symlinkSync(tool(bin), join(binDir, name));
  const bridge = `${BRIDGE_PREFIX}${id}`.slice(0, 15);
  const subnet = takeSubnet();
  writeFileSync(join(confDir, '10-sigproof.conflist'), bridgeConflist(bridge, subnet, join(dir, 'cni', 'ipam')));
  return { confDir, binDir, bridge, subnet };
}
