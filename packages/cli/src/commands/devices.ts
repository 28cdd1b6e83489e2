/** `parley devices` and `parley devices revoke <id>`: the account's logged-in devices. */
import type { DeviceSession } from '@parley/client';
import { CliError, toCliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { formatTime } from '../format.js';

/**
 * A device name as a quoted string, its control characters escaped: the name is whatever the
 * logging-in client said, and must not drive the terminal.
 */
function quoted(name: string): string {
  return JSON.stringify(name).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function describe(s: DeviceSession, now: number): string {
  const marker = s.current ? '  (this device)' : '';
  return (
    `${String(s.id).padStart(6)}  ${quoted(s.device)}  last seen ${formatTime(s.lastSeenAt, now)}, ` +
    `logged in ${formatTime(s.createdAt, now)}${marker}`
  );
}

export const devices: Command = {
  name: 'devices',
  args: '[revoke <id>]',
  summary: 'list the devices logged in to this account, or log one out',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    const [action, id, ...extra] = input.positionals;
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`);
    if (action !== undefined && action !== 'revoke') {
      throw usageError(`unknown devices action "${action}" (try "parley devices revoke <id>")`);
    }
    if (action === undefined && id !== undefined) throw usageError(`unexpected argument "${id}"`);
    const { client } = await ctx.session();
    if (action === undefined) {
      const now = Date.now();
      const list = await client.sessions();
      ctx.stdout.write(
        `${list.length} logged-in device${list.length === 1 ? '' : 's'}:\n` +
          list.map((s) => `${describe(s, now)}\n`).join(''),
      );
      return;
    }
    if (id === undefined) throw usageError('missing id (from "parley devices")');
    if (!/^\d+$/.test(id)) throw usageError('the id is a number, as "parley devices" shows it');
    await client.revokeSession(Number(id)).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code === 'not_found') throw new CliError(`no logged-in device has id ${id}`);
      if (code === 'invalid') {
        throw new CliError('that is this device: use "parley logout" to log it out');
      }
      throw toCliError(error);
    });
    ctx.stdout.write(`Logged out device ${id}.\n`);
  },
};
