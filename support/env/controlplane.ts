// The embedded Kubernetes control plane: real etcd and kube-apiserver as
// processes on free loopback ports, with certificates made for the run, an
// admin client certificate (system:masters) and a kubeconfig.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../lib/cleanup.ts';
import { runChecked } from '../lib/runner.ts';
import { eventually, freePort } from '../lib/eventually.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { certificateRequest, generateKey, issueCertificate } from '../drivers/openssl.ts';

const DAY = 86_400_000;
const ETCD_READY_MS = 60_000;
const APISERVER_READY_MS = 180_000;

export interface ControlPlane {
  server: string;
  kubeconfig: string;
  caCert: string;
  /** The cluster CA's key and the service-account key: the controllers and nodes get their certificates and tokens from them. */
  caKey: string;
  saKey: string;
  adminCert: string;
  adminKey: string;
  bootMs: Record<string, number>;
  daemons: Daemon[];
}

interface ClusterPki {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

export async function issue(dir: string, ca: { cert?: string; key: string }, name: string, subject: string, ext: string[], keyFile?: string): Promise<{ cert: string; key: string }> {
  const key = keyFile ?? join(dir, `${name}.key`);
  if (!keyFile) await generateKey('ec-p256', key);
  const csr = join(dir, `${name}.csr`);
  await certificateRequest({ key, subject, out: csr });
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ['[ext]', ...ext, ''].join('\n'));
  const cert = join(dir, `${name}.pem`);
  const now = Date.now();
  await issueCertificate({ caDir: dir, caCert: ca.cert, caKey: ca.key, csr, out: cert, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY), extFile, extSection: 'ext', signing: { digest: 'sha256', pss: false } });
  return { cert, key };
}

/** A CA for the run, the API server's serving certificate, an admin client certificate, a service-account key. */
async function makeClusterPki(dir: string): Promise<ClusterPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'ca.key');
  await generateKey('ec-p256', caKey);
  const ca = await issue(dir, { key: caKey }, 'ca', '/O=sigproof/CN=sigproof cluster CA', ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash'], caKey);
  const serving = await issue(dir, { cert: ca.cert, key: caKey }, 'apiserver', '/CN=kube-apiserver', [
    'basicConstraints = critical, CA:false',
    'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = serverAuth',
    'subjectAltName = IP:127.0.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc',
  ]);
  const admin = await issue(dir, { cert: ca.cert, key: caKey }, 'admin', '/O=system:masters/CN=sigproof-admin', ['basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth']);
  const saKey = join(dir, 'sa.key');
  await generateKey('ec-p256', saKey);
  const saPub = join(dir, 'sa.pub');
  await runChecked(tool('openssl'), ['pkey', '-in', saKey, '-pubout', '-out', saPub], { what: 'derive the service-account public key' });
  return { caCert: ca.cert, caKey, servingCert: serving.cert, servingKey: serving.key, adminCert: admin.cert, adminKey: admin.key, saKey, saPub };
}

/** GET a path of the API server with the admin certificate; resolves with status and body. */
function apiGet(cp: Pick<ControlPlane, 'server' | 'caCert' | 'adminCert' | 'adminKey'>, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cp.server}${path}`,
      {
        ca: readFileSync(cp.caCert),
        cert: readFileSync(cp.adminCert),
        key: readFileSync(cp.adminKey),
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** A kubeconfig for one client certificate of the cluster CA. */
export function writeKubeconfig(file: string, server: string, pki: { caCert: string; cert: string; key: string }): void {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: sigproof',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${b64(pki.caCert)}`,
      'users:',
      '- name: admin',
      '  user:',
      `    client-certificate-data: ${b64(pki.cert)}`,
      `    client-key-data: ${b64(pki.key)}`,
      'contexts:',
      '- name: sigproof',
      '  context: {cluster: sigproof, user: admin}',
      'current-context: sigproof',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}

async function startEtcd(dir: string): Promise<{ daemon: Daemon; url: string }> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const daemon = startDaemon(
    'etcd',
    tool('etcd'),
    ['--name', 'sigproof', '--data-dir', join(dir, 'etcd-data'), '--listen-client-urls', url, '--advertise-client-urls', url, '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `sigproof=${peerUrl}`, '--unsafe-no-fsync', '--log-level', 'warn'],
    { logDir: dir },
  );
  await eventually(
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`etcd exited: ${readFileSync(daemon.logFile, 'utf8').slice(-800)}`);
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      return res.ok && ((await res.json()) as { health?: string }).health === 'true';
    },
    { timeoutMs: ETCD_READY_MS, what: `etcd to be healthy on ${url}` },
  );
  return { daemon, url };
}

export async function startControlPlane(dir: string): Promise<ControlPlane> {
  const bootMs: Record<string, number> = {};
  let t = performance.now();
  const pki = await makeClusterPki(join(dir, 'pki'));
  bootMs.certificates = Math.round(performance.now() - t);
  t = performance.now();
  const etcd = await startEtcd(dir);
  bootMs.etcd = Math.round(performance.now() - t);
  t = performance.now();
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const apiserver = startDaemon(
    'kube-apiserver',
    tool('kube-apiserver'),
    [
      `--etcd-servers=${etcd.url}`,
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // Node: each kubelet may only touch its own Node object and its pods' objects.
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      // The default reconciler refuses a loopback advertise address; nothing needs the endpoints here.
      '--endpoint-reconciler-type=none',
    ],
    { logDir: dir },
  );
  const cp = { server, caCert: pki.caCert, adminCert: pki.adminCert, adminKey: pki.adminKey };
  await eventually(
    async () => {
      if (apiserver.child.exitCode !== null) throw new Error(`kube-apiserver exited: ${readFileSync(apiserver.logFile, 'utf8').slice(-1500)}`);
      const res = await apiGet(cp, '/readyz');
      return res.status === 200 && res.body.trim() === 'ok';
    },
    { timeoutMs: APISERVER_READY_MS, what: `kube-apiserver /readyz on ${server}` },
  );
  bootMs['kube-apiserver'] = Math.round(performance.now() - t);
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, server, { caCert: pki.caCert, cert: pki.adminCert, key: pki.adminKey });
  return { ...cp, kubeconfig, caKey: pki.caKey, saKey: pki.saKey, bootMs, daemons: [etcd.daemon, apiserver] };
}
