// A throw-away PKI made with the openssl CLI, for mTLS tests: a CA, a server certificate for
// localhost / 127.0.0.1, a client certificate from the same CA, and a "rogue" client certificate
// from another CA (what a bad certificate looks like to the server).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ca(dir, name) {
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`].concat(
      ['-days', '2', '-subj', `/CN=${name}`],
    ),
    dir,
  );
}

function leaf(dir, name, caName, cn, ext) {
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
    ],
    dir,
  );
  const args = [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${caName}.crt`,
    '-CAkey',
    `${caName}.key`,
  ].concat(['-CAcreateserial', '-out', `${name}.crt`, '-days', '2']);
  if (ext) {
    writeFileSync(join(dir, `${name}.ext`), ext);
    args.push('-extfile', `${name}.ext`);
  }
  openssl(args, dir);
}

/** Creates the PKI in a fresh temporary folder and returns the file paths. */
export function createTestPki() {
  const dir = mkdtempSync(join(tmpdir(), 'cf-pki-'));
  ca(dir, 'ca');
  ca(dir, 'rogue-ca');
  leaf(
    dir,
    'server',
    'ca',
    'localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  leaf(dir, 'client', 'ca', 'gateway', 'extendedKeyUsage=clientAuth\n');
  leaf(dir, 'rogue', 'rogue-ca', 'gateway', 'extendedKeyUsage=clientAuth\n');
  const p = (f) => join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    rogueCaCert: p('rogue-ca.crt'),
    rogueCert: p('rogue.crt'),
    rogueKey: p('rogue.key'),
  };
}
