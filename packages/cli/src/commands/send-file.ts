/**
 * `parley send-file <username> <path> [--text CAPTION] [--quiet]`: upload a file and send it as a
 * message; exits 0 once the server has stored the message.
 */
import { basename } from 'node:path';
import { expectArgs, flag, type Command } from '../command.js';
import { checkUpload, requireHttp, sendFileMessage } from '../files/upload-file.js';
import { Progress, progressMode } from '../files/progress.js';
import { visible } from '../format.js';
import { openChat } from '../open-chat.js';

export const sendFile: Command = {
  name: 'send-file',
  args: '<username> <path>',
  summary: 'send a file, an image or any other (progress on stderr)',
  options: { text: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } },
  optionHelp: [
    '--text <caption>   a message to go with the file',
    '-q, --quiet        no progress (default: a bar on a terminal, else a line per 10%)',
  ],
  async run(ctx, input) {
    const [username, path] = expectArgs(input, 'username', 'path') as [string, string];
    const caption = typeof input.values['text'] === 'string' ? input.values['text'] : '';
    const { client, me } = await ctx.session();
    requireHttp(client, ctx.server);
    await checkUpload(client, path);
    const chat = await openChat(client, me, username);
    const mode = progressMode(ctx.io.stderr, flag(input.values, 'quiet'));
    const progress = new Progress(ctx.io.stderr, mode, `sending ${visible(basename(path))}`);
    try {
      await sendFileMessage(client, chat.info.id, path, caption, {
        onProgress: (sent, total) => progress.update(sent, total),
        failWhenWaiting: true,
      });
    } finally {
      progress.finish();
    }
    ctx.stdout.write(`Sent ${visible(basename(path))} to ${visible(chat.info.peer.username)}.\n`);
  },
};
