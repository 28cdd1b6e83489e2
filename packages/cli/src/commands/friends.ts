/** `parley friends` and `parley requests`: the friend list and the requests waiting. */
import { expectArgs, type Command } from '../command.js';
import { friendLines, requestLine } from '../contacts-view.js';

export const friends: Command = {
  name: 'friends',
  args: '',
  summary: 'list friends (remark and username), under their groupings',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    expectArgs(input);
    const { client } = await ctx.session();
    const state = await client.refreshContacts();
    if (state.friends.length === 0) {
      ctx.note('No friends yet. Add one with: parley friend add <username> [--note <text>]');
    } else {
      for (const line of friendLines(state.friends, ctx.style)) ctx.stdout.write(`${line}\n`);
    }
    if (state.incoming.length > 0) {
      ctx.note(`${state.incoming.length} friend request(s) waiting: see "parley requests"`);
    }
  },
};

export const requests: Command = {
  name: 'requests',
  args: '',
  summary: 'list friend requests waiting: to you, and your own',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    expectArgs(input);
    const { client } = await ctx.session();
    const { incoming, outgoing } = await client.refreshContacts();
    const s = ctx.style;
    if (incoming.length === 0 && outgoing.length === 0) {
      ctx.note('No friend requests waiting.');
      return;
    }
    if (incoming.length > 0) {
      ctx.stdout.write(`${s.bold('To you')} (parley friend accept|decline <username>):\n`);
      for (const r of incoming) ctx.stdout.write(`  ${requestLine(r, 'from', s)}\n`);
    }
    if (outgoing.length > 0) {
      ctx.stdout.write(`${s.bold('Yours, waiting')}:\n`);
      for (const r of outgoing) ctx.stdout.write(`  ${requestLine(r, 'to', s)}\n`);
    }
  },
};
