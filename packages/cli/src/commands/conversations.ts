/** `parley conversations`: the chat list, newest first. */
import { expectArgs, type Command } from '../command.js';
import { formatTime, preview, visible } from '../format.js';

export const conversations: Command = {
  name: 'conversations',
  args: '',
  summary: 'list conversations: peer, unread count, last message, time',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    expectArgs(input);
    const { client, me } = await ctx.session();
    const list = await client.conversations();
    if (list.length === 0) {
      ctx.note('No conversations yet. Start one with: parley send <username> <text>');
      return;
    }
    const s = ctx.style;
    const names = list.map((c) => visible(c.info.peer.username));
    const nameWidth = Math.max(...names.map((n) => n.length));
    const rows = list.map((c, i) => {
      const last = c.lastMessage;
      const time = last ? formatTime(last.ts) : '';
      const who = last && last.senderId === me.id ? 'you: ' : '';
      return {
        name: names[i]!.padEnd(nameWidth),
        unread: c.unread > 0 ? `${c.unread} unread` : '',
        time,
        text: last ? `${who}${preview(last.body, 60)}` : s.dim('(no messages)'),
      };
    });
    const unreadWidth = Math.max(...rows.map((r) => r.unread.length));
    const timeWidth = Math.max(...rows.map((r) => r.time.length));
    for (const r of rows) {
      const unread = r.unread ? s.bold(r.unread.padEnd(unreadWidth)) : ''.padEnd(unreadWidth);
      ctx.stdout.write(
        `${s.peer(r.name)}  ${unread}  ${s.dim(r.time.padEnd(timeWidth))}  ${r.text}\n`,
      );
    }
  },
};
