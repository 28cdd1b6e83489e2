// The load generator against a real server it starts itself, at tiny sizes: it must count every
// message through and keep every connection up, and write its report. No timing is asserted:
// figures belong in docs/performance.md, not in pass/fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  BenchArgsError,
  parseArgs,
  runBench,
  type BenchOptions,
  type BenchReport,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-bench-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function options(argv: string[]): BenchOptions {
  const parsed = parseArgs([...argv, '--no-pin']);
  assert.ok(parsed);
  return parsed;
}

function readReport(path: string): BenchReport {
  return JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
}

describe('W1 one-to-one', () => {
  for (const transport of ['ws', 'tcp'] as const) {
    it(`delivers every message it sends over ${transport}, and writes the report`, async () => {
      const jsonPath = join(dir, `w1-${transport}.json`);
      const { report } = await runBench(
        options([
          ...['--workload', 'w1', '--transport', transport, '--users', '4'],
          ...['--rate', '25', '--duration', '2', '--json', jsonPath],
        ]),
      );
      assert.equal(report.results.workload, 'w1');
      const r = report.results;
      assert.equal(r.sent, 50);
      assert.equal(r.acked, r.sent);
      assert.equal(r.delivered, r.sent);
      assert.equal(r.lost, 0);
      assert.equal(r.duplicates, 0);
      assert.deepEqual(r.errors, {});
      assert.deepEqual(r.disconnects, {});
      assert.equal(report.server.exited, null);
      // Read from the server's metrics listener: null would mean it was not reached.
      assert.ok(report.commits && report.commits.commits > 0, 'group commit figures');
      const written = readReport(jsonPath);
      assert.equal(written.results.workload, 'w1');
      assert.deepEqual(written.results, r);
    });
  }
});

describe('W2 idle connections', () => {
  it('keeps every connection up across two worker processes, and writes the report', async () => {
    const jsonPath = join(dir, 'w2.json');
    const { report } = await runBench(
      options([
        ...['--workload', 'w2', '--connections', '20', '--users', '3', '--workers', '2'],
        ...['--duration', '1', '--json', jsonPath],
      ]),
    );
    assert.equal(report.results.workload, 'w2');
    const r = report.results;
    assert.equal(r.connected, 20);
    assert.equal(r.alive, 20);
    assert.equal(r.failedToConnect, 0);
    assert.deepEqual(r.dropped, {});
    assert.equal(r.workers, 2);
    assert.equal(report.generator.processes, 3);
    assert.notEqual(r.serverRssPerConnectionKb, null);
    assert.deepEqual(readReport(jsonPath).results, r);
  });
});

describe('target URL', () => {
  it('refuses a server that is not on this machine, before connecting', () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const run = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', main, '--url', 'ws://10.1.2.3:8080/ws'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(run.status, 2);
    assert.match(run.stderr, /refusing --url ws:\/\/10\.1\.2\.3:8080\/ws/);
  });

  it('accepts only localhost, 127.0.0.0/8 and ::1', () => {
    for (const url of [
      'ws://example.com:8080/ws',
      'tcp://192.168.1.10:8081',
      'ws://[::2]:8080/ws',
      'tcp://128.0.0.1:8081',
      'ws://127.0.0.1.example.com:8080/ws',
    ]) {
      assert.throws(
        () => parseArgs(['--url', url]),
        (error: unknown) => error instanceof BenchArgsError && error.code === 'non_loopback_url',
        url,
      );
    }
    for (const url of ['ws://localhost:8080/ws', 'tcp://127.0.0.2:8081', 'ws://[::1]:8080/ws']) {
      assert.equal(parseArgs(['--url', url])?.url, url);
    }
  });

  it('takes the transport from the URL and rejects a contradicting --transport', () => {
    assert.equal(parseArgs(['--url', 'tcp://127.0.0.1:8081'])?.transport, 'tcp');
    assert.throws(
      () => parseArgs(['--url', 'tcp://127.0.0.1:8081', '--transport', 'ws']),
      BenchArgsError,
    );
  });

  it('rejects unbounded or malformed numbers', () => {
    for (const argv of [
      ['--rate', '0'],
      ['--duration', '100000'],
      ['--users', 'many'],
      ['--connections', '-5'],
      ['--bogus', '1'],
    ]) {
      assert.throws(() => parseArgs(argv), BenchArgsError, argv.join(' '));
    }
  });
});
