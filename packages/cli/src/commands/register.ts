/** `parley register <username>`: create an account and log in. */
import { PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@parley/protocol';
import { CliError, EXIT, toCliError, usageError } from '../cli-error.js';
import { expectArgs, flag, type Command } from '../command.js';
import type { Context } from '../context.js';
import { visible } from '../format.js';

export const USERNAME_RULE =
  'a username is 3-32 characters: lowercase letters, digits, "_", "." or "-", starting with a letter';

export const register: Command = {
  name: 'register',
  args: '<username>',
  summary: 'create an account on the server and log in',
  options: { 'password-stdin': { type: 'boolean' }, invite: { type: 'string' } },
  optionHelp: [
    '--password-stdin   read the password from stdin (else PARLEY_PASSWORD or a prompt)',
    '--invite <code>    the invite code an invite-only server needs',
  ],
  async run(ctx, input) {
    const [username] = expectArgs(input, 'username') as [string];
    if (!USERNAME_PATTERN.test(username)) throw usageError(USERNAME_RULE);
    const client = await ctx.open();
    await ctx.connect(client);
    refuseIfLoggedIn(ctx, client.user?.username ?? null);
    const passwords = ctx.passwords(flag(input.values, 'password-stdin'));
    const password = await passwords.next('Choose a password: ', 'PARLEY_PASSWORD');
    if (password.length < PASSWORD_MIN_LENGTH) {
      throw new CliError(`the password needs at least ${PASSWORD_MIN_LENGTH} characters`);
    }
    if (passwords.interactive) {
      const again = await passwords.next('Repeat the password: ', 'PARLEY_PASSWORD');
      if (again !== password) throw new CliError('the passwords do not match', EXIT.usage);
    }
    const invite = input.values['invite'];
    const options = typeof invite === 'string' ? { invite } : {};
    const user = await client.register(username, password, options).catch((error: unknown) => {
      throw explainAuthError(error, username);
    });
    ctx.stdout.write(`Registered and logged in as ${visible(user.username)} on ${ctx.server}.\n`);
  },
};

/** One account per server per config file: switching needs an explicit logout. */
export function refuseIfLoggedIn(ctx: Context, current: string | null): void {
  if (current === null) return;
  throw new CliError(
    `already logged in as ${current} on ${ctx.server}: run "parley logout" first ` +
      '(or use another --config)',
  );
}

/** Register and login refusals, in words. */
export function explainAuthError(error: unknown, username: string): CliError {
  const e = toCliError(error);
  const code = (error as { code?: unknown }).code;
  if (code === 'username_taken') return new CliError(`the username "${username}" is taken`);
  if (code === 'invalid_username') return new CliError(USERNAME_RULE);
  return e;
}
