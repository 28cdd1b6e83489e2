/** `parley history <username> [--before <seq>] [--limit <n>]`: one page of a conversation. */
import { expectArgs, intOption, type Command } from '../command.js';
import { Directory } from '../directory.js';
import { messageText } from '../files/attachment-text.js';
import { formatTime, visible } from '../format.js';
import { fitTo } from '../wrap.js';

export const history: Command = {
  name: 'history',
  args: '<username>',
  summary: 'show the messages with a user, newest page first',
  options: { before: { type: 'string' }, limit: { type: 'string' } },
  optionHelp: [
    '--before <seq>     only messages older than this one, to page back (default: the newest)',
    '--limit <n>        messages per page (default 20)',
  ],
  async run(ctx, input) {
    const [username] = expectArgs(input, 'username') as [string];
    const before = intOption(input.values, 'before', null, 1, Number.MAX_SAFE_INTEGER);
    const limit = intOption(input.values, 'limit', 20, 1, 1000) ?? 20;
    const { client, me } = await ctx.session();
    const directory = new Directory(client, me);
    const chat = (await client.conversations()).find((c) => c.info.peer.username === username);
    if (!chat) {
      ctx.note(`No messages with ${username} yet.`);
      return;
    }
    directory.add(chat.info);
    const page = await client.history(chat.info.id, {
      limit,
      ...(before !== null ? { before } : {}),
    });
    const s = ctx.style;
    for (const m of page.messages) {
      const mine = m.senderId === me.id;
      const name = visible(await directory.name(m.senderId), s.control) + ':';
      const line = `${s.dim(`#${m.seq}`)} ${s.dim(formatTime(m.ts))} ${mine ? s.me(name) : s.peer(name)} ${messageText(m, s.control)}`;
      ctx.stdout.write(`${fitTo(ctx.stdout, line)}\n`);
    }
    const first = page.messages[0];
    if (page.hasMore && first) {
      ctx.note(`Older messages: parley history ${username} --before ${first.seq}`);
    }
  },
};
