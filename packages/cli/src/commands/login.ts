/** `parley login <username>`: log in and remember the session in the config file. */
import { expectArgs, flag, type Command } from '../command.js';
import { explainAuthError, refuseIfLoggedIn } from './register.js';
import { visible } from '../format.js';

export const login: Command = {
  name: 'login',
  args: '<username>',
  summary: 'log in (the session is kept in the config file)',
  options: { 'password-stdin': { type: 'boolean' } },
  optionHelp: [
    '--password-stdin   read the password from stdin (else PARLEY_PASSWORD or a prompt)',
  ],
  async run(ctx, input) {
    const [username] = expectArgs(input, 'username') as [string];
    const client = await ctx.open();
    await ctx.connect(client);
    refuseIfLoggedIn(ctx, client.user?.username ?? null);
    const password = await ctx
      .passwords(flag(input.values, 'password-stdin'))
      .next('Password: ', 'PARLEY_PASSWORD');
    const user = await client.login(username, password).catch((error: unknown) => {
      throw explainAuthError(error, username);
    });
    ctx.stdout.write(`Logged in as ${visible(user.username)} on ${ctx.server}.\n`);
  },
};
