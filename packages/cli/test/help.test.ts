/**
 * What someone installing and first running `parley` sees: a command on PATH, and help that
 * states the defaults and fits a 100-column terminal.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CliUser, REPO_ROOT } from './support/cli.js';

const COMMANDS = [
  'register',
  'login',
  'logout',
  'whoami',
  'passwd',
  'conversations',
  'send',
  'send-file',
  'history',
  'files',
  'save',
  'listen',
  'chat',
  'help',
];

function assertFits(text: string, what: string): void {
  for (const line of text.split('\n')) {
    assert.ok(line.length <= 100, `${what}: a line of ${line.length} columns:\n${line}`);
  }
}

describe('parley help', () => {
  const cli = new CliUser('ws://127.0.0.1:1/ws', '/nonexistent/config.json');

  it('states the defaults of the global options and fits 100 columns', async () => {
    const r = await cli.run(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assertFits(r.stdout, 'parley --help');
    assert.match(r.stdout, /--server <url>[\s\S]*default ws:\/\/localhost:8080\/ws/);
    assert.match(r.stdout, /--config <file>[\s\S]*default \$XDG_CONFIG_HOME\/parley\/config\.json/);
    assert.match(r.stdout, /--ca <file>[\s\S]*PARLEY_CA; default none/);
    assert.match(r.stdout, /--http-url <url>[\s\S]*env PARLEY_HTTP_URL/);
    for (const command of ['send-file <username> <path>', 'files <username>', 'save <fileId>']) {
      assert.ok(r.stdout.includes(`  ${command}`), `help lists ${command}`);
    }
  });

  it("shows each command's options with their defaults, and the global ones, in 100 columns", async () => {
    const all = await Promise.all(COMMANDS.map((c) => cli.run(['help', c])));
    all.forEach((r, i) => {
      assert.equal(r.code, 0, r.stderr);
      assertFits(r.stdout, `parley help ${COMMANDS[i]}`);
      assert.match(r.stdout, new RegExp(`^Usage: parley ${COMMANDS[i]}`));
      assert.match(r.stdout, /Global options:[\s\S]*default ws:\/\/localhost:8080\/ws/);
    });
    assert.match(all[COMMANDS.indexOf('history')]!.stdout, /--limit <n>.*\(default 20\)/);
  });
});

const built = existsSync(join(REPO_ROOT, 'packages/cli/dist/main.js'));

describe('installing parley', () => {
  it(
    'npm install -g ./packages/cli puts a working parley on PATH',
    { skip: built ? false : 'packages/cli is not built (npm run build first; npm test does)' },
    () => {
      const prefix = mkdtempSync(join(tmpdir(), 'parley-global-'));
      try {
        // --offline: the workspace packages are linked from the checkout, nothing is downloaded.
        execFileSync(
          'npm',
          ['install', '-g', './packages/cli', '--prefix', prefix, '--offline', '--ignore-scripts'],
          { cwd: REPO_ROOT, stdio: 'pipe' },
        );
        const out = execFileSync('parley', ['--help'], {
          cwd: tmpdir(),
          env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}` },
          encoding: 'utf8',
        });
        assert.match(out, /^parley: the Parley terminal client/);
      } finally {
        rmSync(prefix, { recursive: true, force: true });
      }
    },
  );
});
