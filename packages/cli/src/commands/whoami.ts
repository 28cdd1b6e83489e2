/** `parley whoami`: who is logged in, and this device's session. */
import { expectArgs, type Command } from '../command.js';
import { oneLine, visible } from '../format.js';

export const whoami: Command = {
  name: 'whoami',
  args: '',
  summary: 'show the logged-in user and this session',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    expectArgs(input);
    const { client } = await ctx.session();
    const { user, session } = await client.whoami();
    const expires = new Date(session.expiresAt).toISOString().replace('T', ' ').slice(0, 16);
    ctx.stdout.write(
      `${ctx.style.bold(visible(user.username))} (user ${user.id}) on ${ctx.server}\n` +
        `this device: session ${session.id} "${oneLine(session.device)}", expires ${expires} UTC\n`,
    );
  },
};
