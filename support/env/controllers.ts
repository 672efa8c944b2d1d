// kube-scheduler and kube-controller-manager beside the embedded API server,
// so admitted pods get a node and Deployments get ReplicaSets and pods. Each
// has its own client certificate (the identities the default RBAC roles
// expect) and serves its health endpoint on a free loopback port.
import { join } from 'node:path';
import { request } from 'node:https';
import { tool } from '../../toolchain/tool-paths.ts';
import { type Daemon, logTail, startDaemon } from '../lib/cleanup.ts';
import { eventually, freePort } from '../lib/eventually.ts';
import { type ControlPlane, issue, writeKubeconfig } from './controlplane.ts';

const READY_MS = 60_000;
const CLIENT_EXT = ['basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth'];

interface Controller {
  name: 'kube-scheduler' | 'kube-controller-manager';
  kubeconfig: string;
  port: number;
}

interface Controllers {
  daemons: Daemon[];
  bootMs: Record<string, number>;
}

/** Client certificates and kubeconfigs; made before anything else uses the CA's openssl database. */
export async function prepareControllers(cp: ControlPlane, dir: string): Promise<Controller[]> {
  const pkiDir = join(dir, 'pki');
  const out: Controller[] = [];
  for (const name of ['kube-scheduler', 'kube-controller-manager'] as const) {
    const client = await issue(pkiDir, { cert: cp.caCert, key: cp.caKey }, name, `/CN=system:${name}`, CLIENT_EXT);
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    writeKubeconfig(kubeconfig, cp.server, { caCert: cp.caCert, cert: client.cert, key: client.key });
    out.push({ name, kubeconfig, port: await freePort() });
  }
  return out;
}

function argsOf(c: Controller, cp: ControlPlane, dir: string): string[] {
  const common = [`--kubeconfig=${c.kubeconfig}`, `--authentication-kubeconfig=${c.kubeconfig}`, `--authorization-kubeconfig=${c.kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${c.port}`, `--cert-dir=${join(dir, `${c.name}-certs`)}`, '--leader-elect=false'];
  if (c.name === 'kube-scheduler') return common;
  return [
    ...common,
    // nodeipam would need a cluster CIDR; the node's CNI config gives pod addresses instead.
    '--controllers=*,-nodeipam',
    `--service-account-private-key-file=${cp.saKey}`,
    `--root-ca-file=${cp.caCert}`,
    // Each controller acts as its own service account, as in a real cluster: the default RBAC roles are made for that.
    '--use-service-account-credentials=true',
  ];
}

/** /healthz over TLS on loopback; the certificate is the process's own self-signed one. */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'ok'));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function startControllers(cp: ControlPlane, dir: string, prepared: Controller[]): Promise<Controllers> {
  const bootMs: Record<string, number> = {};
  const daemons = await Promise.all(
    prepared.map(async (c) => {
      const started = performance.now();
      const daemon = startDaemon(c.name, tool(c.name), argsOf(c, cp, dir), { logDir: dir });
      await eventually(
        async () => {
          if (daemon.child.exitCode !== null) throw new Error(`${c.name} exited ${daemon.child.exitCode}: ${logTail(daemon.logFile)}`);
          return healthy(c.port);
        },
        { timeoutMs: READY_MS, what: `${c.name} /healthz on 127.0.0.1:${c.port}` },
      );
      bootMs[c.name] = Math.round(performance.now() - started);
      return daemon;
    }),
  );
  return { daemons, bootMs };
}
