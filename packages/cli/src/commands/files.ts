/** `parley files <username> [--json]`: every file in a conversation, newest first, with its id. */
import { expectArgs, flag, type Command } from '../command.js';
import { Directory } from '../directory.js';
import { attachmentText } from '../files/attachment-text.js';
import { formatTime, jsonLine, visible } from '../format.js';
import { fitTo } from '../wrap.js';

const PAGE = 200;

export const files: Command = {
  name: 'files',
  args: '<username>',
  summary: 'list the files in a conversation, with the ids "parley save" takes',
  options: { json: { type: 'boolean' } },
  optionHelp: ['--json             one JSON object per line: {"seq","ts","from","attachment"}'],
  async run(ctx, input) {
    const [username] = expectArgs(input, 'username') as [string];
    const json = flag(input.values, 'json');
    const { client, me } = await ctx.session();
    const chat = (await client.conversations()).find((c) => c.info.peer.username === username);
    if (!chat) {
      ctx.note(`No messages with ${username} yet.`);
      return;
    }
    const directory = new Directory(client, me);
    directory.add(chat.info);
    const s = ctx.style;
    let count = 0;
    let before: number | null = null;
    for (;;) {
      const page = await client.history(chat.info.id, {
        limit: PAGE,
        ...(before !== null ? { before } : {}),
      });
      for (const m of [...page.messages].reverse()) {
        const attachment = m.attachment;
        if (!attachment) continue;
        count += 1;
        const from = await directory.name(m.senderId);
        const line = json
          ? jsonLine({ seq: m.seq, ts: m.ts, from, attachment })
          : fitTo(
              ctx.stdout,
              `${attachment.fileId}  ${s.dim(formatTime(m.ts))} ${visible(from, s.control)}: ${attachmentText(attachment, s.control)}`,
            );
        ctx.stdout.write(`${line}\n`);
      }
      const first = page.messages[0];
      if (!page.hasMore || !first) break;
      before = first.seq;
    }
    if (count === 0) ctx.note(`No files with ${username} yet.`);
    else if (!json) ctx.note('Download one with: parley save <fileId> [path]');
  },
};
