/** `parley search <query...> [--with <username>] [--limit <n>] [--before <cursor>]`. */
import { intOption, type Command } from '../command.js';
import { usageError } from '../cli-error.js';
import { Directory } from '../directory.js';
import { formatTime, oneLine, visible } from '../format.js';
import { fitTo } from '../wrap.js';

/** The query as one shell word, for the "next page" hint. */
const shellWord = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export const search: Command = {
  name: 'search',
  args: '<query...>',
  summary: 'search your messages (Chinese too: 北京 or 京), newest first',
  options: { with: { type: 'string' }, limit: { type: 'string' }, before: { type: 'string' } },
  optionHelp: [
    '--with <username>  only the conversation with this user',
    '--limit <n>        results per page (default 20, at most 50)',
    '--before <cursor>  the next page, as the previous one said',
  ],
  async run(ctx, input) {
    const query = input.positionals.join(' ');
    if (query.trim() === '') throw usageError('missing query');
    const limit = intOption(input.values, 'limit', 20, 1, 50) ?? 20;
    const before = intOption(input.values, 'before', null, 1, Number.MAX_SAFE_INTEGER);
    const peer = input.values['with'];
    const { client, me } = await ctx.session();
    const directory = new Directory(client, me);
    let conversationId: number | undefined;
    if (typeof peer === 'string') {
      const chat = (await client.conversations()).find((c) => c.info.peer.username === peer);
      if (!chat) {
        ctx.note(`No messages with ${visible(peer)} yet.`);
        return;
      }
      conversationId = chat.info.id;
    }
    const page = await client.search(query, {
      limit,
      ...(conversationId !== undefined ? { conversationId } : {}),
      ...(before !== null ? { cursor: before } : {}),
    });
    const s = ctx.style;
    if (page.results.length === 0) ctx.note(`Nothing found for ${visible(query, s.control)}.`);
    for (const { message, conversation } of page.results) {
      directory.add(conversation);
      const chatName = visible(await directory.name(conversation.peer.id), s.control);
      const mine = message.senderId === me.id;
      const sender = visible(await directory.name(message.senderId), s.control) + ':';
      const line = `${s.dim(formatTime(message.ts))} ${s.dim(`[${chatName} #${message.seq}]`)} ${mine ? s.me(sender) : s.peer(sender)} ${oneLine(message.body, s.control)}`;
      ctx.stdout.write(`${fitTo(ctx.stdout, line)}\n`);
    }
    if (page.more && page.cursor !== undefined) {
      const within = typeof peer === 'string' ? ` --with ${peer}` : '';
      ctx.note(
        `Older results: parley search ${visible(shellWord(query))}${within} --before ${page.cursor}`,
      );
    }
  },
};
