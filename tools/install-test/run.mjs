#!/usr/bin/env node
// Install test: what a user gets from `npm install @contextforge/<pkg>`.
//
// 1. `pnpm release --dry-run` packs every publishable package (as `pnpm publish` would upload it);
// 2. an empty temporary project runs plain `npm install <all tarballs>` — no workspace, no pnpm;
// 3. every bin runs `--version` (must print the package version) and `--help` (exit 0);
// 4. every library is imported as ESM and required as CJS, and must expose at least VERSION;
// 5. native packages: the host platform's binary package (packed by the dry run) is installed as
//    the parent's optional dependency, and the parent loads its binding from it;
// 6. plugins with native bindings work from a plugins YAML entry through the plugin manager;
// 7. `contextforge serve` with PLUGINS_ENABLED loads a plugin package named in plugins/config.yaml and
//    lists it at GET /v1/plugins; a plugin package that is not installed stops it with a message
//    naming the package to install.
// Exits non-zero with a list of every failure.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../release/workspace-packages.mjs';

const keep = process.argv.includes('--keep');
execFileSync(process.execPath, [join(root, 'tools/release/release.mjs'), '--dry-run'], { stdio: 'inherit' });
const manifest = JSON.parse(readFileSync(join(root, '.release', 'manifest.json'), 'utf8'));

const project = mkdtempSync(join(tmpdir(), 'contextforge-install-test-'));
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'install-test', private: true, version: '1.0.0' }),
);
console.log(`install-test: npm install of ${manifest.length} tarballs into ${project}`);
const install = spawnSync(
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error', ...manifest.map((m) => m.tarball)],
  {
    cwd: project,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
if (install.status !== 0) {
  console.error(`install-test: npm install failed with exit code ${install.status}`);
  process.exit(1);
}

const failures = [];
const check = (label, fn) => {
  try {
    fn();
    console.log(`  ok   ${label}`);
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
    console.log(`  FAIL ${label}: ${error.message}`);
  }
};
const node = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `exit ${result.status}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    );
  return result.stdout.trim();
};

for (const m of manifest) {
  for (const bin of Object.keys(m.bin)) {
    // Run through node_modules/.bin exactly as `npx <bin>` would resolve it.
    const binPath = join(project, 'node_modules', '.bin', bin);
    check(`${bin} --version (${m.name})`, () => {
      const result = spawnSync(binPath, ['--version'], { cwd: project, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr.trim()}`);
      if (result.stdout.trim() !== m.version)
        throw new Error(`printed "${result.stdout.trim()}", expected "${m.version}"`);
    });
    check(`${bin} --help (${m.name})`, () => {
      const result = spawnSync(binPath, ['--help'], { cwd: project, encoding: 'utf8' });
      if (result.status !== 0 || !result.stdout.includes(`Usage: ${bin}`))
        throw new Error(`exit ${result.status}, no usage line`);
    });
  }
  if (m.library) {
    check(`import ${m.name} (ESM)`, () => {
      const out = node([
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(m.name)}); console.log(m.VERSION);`,
      ]);
      if (out !== m.version) throw new Error(`VERSION is "${out}", expected "${m.version}"`);
    });
    check(`require ${m.name} (CJS)`, () => {
      const out = node(['-e', `const m = require(${JSON.stringify(m.name)}); console.log(m.VERSION);`]);
      if (out !== m.version) throw new Error(`VERSION is "${out}", expected "${m.version}"`);
    });
  }
}

// 5. Native packages: binaries come from the per-platform packages, not from a local build.
for (const m of manifest.filter((entry) => entry.platformOf)) {
  check(`${m.platformOf}: platform package ${m.name} installed and loadable`, () => {
    node([
      '-e',
      `const b = require(${JSON.stringify(m.name)}); if (typeof b !== 'object' || Object.keys(b).length === 0) throw new Error('the binary exports nothing');`,
    ]);
  });
}
const installed = new Set(manifest.map((m) => m.name));
if (installed.has('@contextforge/plugin-pii-filter')) {
  check('@contextforge/plugin-pii-filter scans natively (CJS)', () => {
    const out = node([
      '-e',
      `const { PiiScanner } = require('@contextforge/plugin-pii-filter');
       const r = new PiiScanner({ mask: 'partial' }).scanAll(['mail jane@example.com', 'card 4111 1111 1111 1111'], true);
       console.log(JSON.stringify(r));`,
    ]);
    const expected =
      '{"total":2,"counts":{"email":1,"credit_card":1},"texts":["mail j***@example.com","card **** **** **** 1111"]}';
    if (out !== expected) throw new Error(`got ${out}`);
  });
}

// 6. Plugins from a YAML entry, through the installed plugin manager (ESM).
if (
  [
    '@contextforge/plugin-framework',
    '@contextforge/plugin-pii-filter',
    '@contextforge/plugin-secrets-detection',
  ].every((n) => installed.has(n))
) {
  check('plugins from plugins/config.yaml: pii-filter masks a card, secrets-detection blocks a key', () => {
    writeFileSync(
      join(project, 'plugins.yaml'),
      [
        'plugins:',
        '  - name: "PIIFilterPlugin"',
        '    kind: "@contextforge/plugin-pii-filter"',
        '    hooks: ["tool_post_invoke"]',
        '    mode: "enforce"',
        '    config: { default_mask_strategy: "partial" }',
        '  - name: "SecretsDetection"',
        '    kind: "cpex_secrets_detection.SecretsDetectionPlugin"',
        '    hooks: ["tool_pre_invoke"]',
        '',
      ].join('\n'),
    );
    const out = node([
      '--input-type=module',
      '-e',
      `import { createGlobalContext, PluginManager } from '@contextforge/plugin-framework';
       const manager = await PluginManager.fromFile('plugins.yaml');
       const post = await manager.invokeHook('tool_post_invoke', { name: 't', result: { content: [{ type: 'text', text: 'card 4111 1111 1111 1111' }] } }, createGlobalContext());
       const pre = await manager.invokeHook('tool_pre_invoke', { name: 't', args: { key: 'AKIAIOSFODNN7EXAMPLE' } }, createGlobalContext());
       await manager.shutdown();
       console.log(JSON.stringify([post.payload.result.content[0].text, pre.violation && pre.violation.code]));`,
    ]);
    if (out !== '["card **** **** **** 1111","SECRETS_DETECTED"]') throw new Error(`got ${out}`);
  });
}

// 7. The gateway loads plugins à la carte: the package named by `kind`, installed beside it.
const checkAsync = async (label, fn) => {
  try {
    await fn();
    console.log(`  ok   ${label}`);
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
    console.log(`  FAIL ${label}: ${error.message}`);
  }
};
if (['@contextforge/gateway', '@contextforge/plugin-deny-filter'].every((n) => installed.has(n))) {
  const password = 'Install-Test-Passw0rd!';
  const serveEnv = (configFile) => ({
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(PLUGINS_|DATABASE_URL$|PORT$)/.test(k)),
    ),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: 'sqlite:///./install-test.db',
    PLATFORM_ADMIN_PASSWORD: password,
    PLUGINS_ENABLED: 'true',
    PLUGINS_CONFIG_FILE: configFile,
  });
  const contextforge = join(project, 'node_modules', '.bin', 'contextforge');
  mkdirSync(join(project, 'plugins'), { recursive: true });
  writeFileSync(
    join(project, 'plugins', 'config.yaml'),
    'plugins:\n  - name: DenyList\n    kind: "@contextforge/plugin-deny-filter"\n    hooks: [tool_pre_invoke]\n    mode: enforce\n    config: { words: ["drop table"] }\n',
  );
  await checkAsync(
    'contextforge serve loads @contextforge/plugin-deny-filter from plugins/config.yaml (GET /v1/plugins)',
    async () => {
      const child = spawn(contextforge, ['serve', '--port', '0'], {
        cwd: project,
        env: serveEnv('plugins/config.yaml'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      try {
        const url = await new Promise((resolve, reject) => {
          // A guard against a hung start, not a performance threshold.
          const timer = setTimeout(
            () => reject(new Error(`no "listening on" line within 120 s: ${output}`)),
            120_000,
          );
          const onData = (chunk) => {
            output += chunk.toString();
            const match = /listening on (http:\/\/\S+)/.exec(output);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`exited with ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
          });
        });
        const login = await fetch(`${url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@example.com', password }),
        });
        const token = (await login.json()).access_token;
        if (!token) throw new Error(`login answered ${login.status}`);
        const res = await fetch(`${url}/v1/plugins`, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.json();
        const p = body.plugins?.[0];
        if (
          res.status !== 200 ||
          body.total !== 1 ||
          p?.name !== 'DenyList' ||
          p.kind !== '@contextforge/plugin-deny-filter' ||
          p.mode !== 'sequential' ||
          p.loaded !== true
        )
          throw new Error(`GET /v1/plugins answered ${res.status} ${JSON.stringify(body)}`);
      } finally {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
      }
    },
  );
  check('contextforge serve names the plugin package to install when it is missing', () => {
    writeFileSync(
      join(project, 'plugins', 'missing.yaml'),
      'plugins:\n  - name: Nope\n    kind: "@contextforge/plugin-not-installed"\n',
    );
    const result = spawnSync(contextforge, ['serve', '--port', '0'], {
      cwd: project,
      env: serveEnv('plugins/missing.yaml'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (
      result.status !== 1 ||
      !result.stderr.includes('install it with `npm install @contextforge/plugin-not-installed`')
    )
      throw new Error(`exit ${result.status}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  });
}

if (!keep) rmSync(project, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(
    `install-test: ${failures.length} failure(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(
  `install-test: ${manifest.length} packages installed from tarballs; every bin and library entry works`,
);
