/** `parley passwd`: change the password (every other device is logged out). */
import { PASSWORD_MIN_LENGTH } from '@parley/protocol';
import { CliError, EXIT, toCliError } from '../cli-error.js';
import { expectArgs, flag, type Command } from '../command.js';

export const passwd: Command = {
  name: 'passwd',
  args: '',
  summary: 'change the password (logs out every other device)',
  options: { 'password-stdin': { type: 'boolean' } },
  optionHelp: [
    '--password-stdin   read the current and the new password from stdin, one per line',
    '                   (else PARLEY_PASSWORD and PARLEY_NEW_PASSWORD, or prompts)',
  ],
  async run(ctx, input) {
    expectArgs(input);
    const { client } = await ctx.session();
    const passwords = ctx.passwords(flag(input.values, 'password-stdin'));
    const current = await passwords.next('Current password: ', 'PARLEY_PASSWORD');
    const next = await passwords.next('New password: ', 'PARLEY_NEW_PASSWORD');
    if (next.length < PASSWORD_MIN_LENGTH) {
      throw new CliError(`the password needs at least ${PASSWORD_MIN_LENGTH} characters`);
    }
    if (passwords.interactive) {
      const again = await passwords.next('Repeat the new password: ', 'PARLEY_NEW_PASSWORD');
      if (again !== next) throw new CliError('the passwords do not match', EXIT.usage);
    }
    await client.changePassword(current, next).catch((error: unknown) => {
      const e = toCliError(error);
      const code = (error as { code?: unknown }).code;
      throw code === 'invalid_credentials' ? new CliError('wrong current password', EXIT.auth) : e;
    });
    ctx.stdout.write('Password changed. Every other device was logged out.\n');
  },
};
