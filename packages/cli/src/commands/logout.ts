/** `parley logout [--everywhere]`: end this device's session (or every device's). */
import { CliError, EXIT, toCliError } from '../cli-error.js';
import { expectArgs, flag, type Command } from '../command.js';

export const logout: Command = {
  name: 'logout',
  args: '',
  summary: 'log out of this device (--everywhere: of every device)',
  options: { everywhere: { type: 'boolean' } },
  optionHelp: ['--everywhere       also log out every other device of this account'],
  async run(ctx, input) {
    expectArgs(input);
    const everywhere = flag(input.values, 'everywhere');
    const client = await ctx.open();
    let reachable = true;
    await ctx.connect(client).catch((error: unknown) => {
      if (toCliError(error).exitCode !== EXIT.unreachable) throw error;
      reachable = false;
    });
    if (!client.user) {
      ctx.stdout.write(`Not logged in to ${ctx.server}.\n`);
      return;
    }
    if (!reachable) {
      // Forget the session here anyway; the server ends it when it expires.
      client.close();
      await client.logout().catch(() => undefined);
      throw new CliError(
        `logged out on this device only: the server at ${ctx.server} could not be reached, ` +
          'so the session stays valid there until it expires',
        EXIT.unreachable,
      );
    }
    await client.logout({ everywhere });
    ctx.stdout.write(everywhere ? 'Logged out on every device.\n' : 'Logged out.\n');
  },
};
