// One HTTP(S) request to a run's registry, as sigproof itself asks it things
// (is it up, how does it store signatures): over TLS with the registry's CA and
// its basic-auth credentials when it has them. node's fetch takes no CA of its own.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RegistryResponse {
  status: number;
  body: string;
}

interface Target {
  host: string;
  secure?: { caCert: string; credentials: { username: string; password: string } };
}

export function registryRequest(registry: Target, path: string, opts: { accept?: string; method?: 'GET' | 'HEAD'; anonymous?: boolean } = {}): Promise<RegistryResponse> {
  const [hostname, port] = splitHost(registry.host);
  const headers: Record<string, string> = opts.accept ? { Accept: opts.accept } : {};
  const secure = registry.secure;
  if (secure && !opts.anonymous) headers.Authorization = `Basic ${Buffer.from(`${secure.credentials.username}:${secure.credentials.password}`).toString('base64')}`;
  const options = { hostname, port, path, method: opts.method ?? 'GET', headers, timeout: 10_000 };
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req = secure ? httpsRequest({ ...options, ca: readFileSync(secure.caCert) }, done) : httpRequest(options, done);
    req.on('timeout', () => req.destroy(new Error(`${registry.host}${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

function splitHost(host: string): [string, number] {
  const i = host.lastIndexOf(':');
  return [host.slice(0, i), Number(host.slice(i + 1))];
}
