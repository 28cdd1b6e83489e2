/** `parley send <username> <text...>`: send one message; exits 0 once the server has it. */
import { acknowledged } from '../acknowledged.js';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { openChat } from '../open-chat.js';
import { visible } from '../format.js';

export const send: Command = {
  name: 'send',
  args: '<username> <text...>',
  summary: 'send a message ("-" as the text reads it from stdin)',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    const [username, ...words] = input.positionals;
    if (!username) throw usageError('missing username');
    let text = words.join(' ');
    // Text from a file may end its lines with CR LF; a message holds LF only (the server refuses
    // CR), so the lines are kept and the line endings normalized.
    if (text === '-')
      text = (await readStdin(ctx.io.stdin)).replace(/\r\n?/g, '\n').replace(/\n$/, '');
    if (text.trim() === '') throw usageError('missing the text to send');
    const { client, me } = await ctx.session();
    const chat = await openChat(client, me, username);
    const entry = client.send(chat.info.id, text);
    try {
      await acknowledged(client, entry);
    } catch (error) {
      // Not sent as far as we know: do not leave it queued for a later command to send.
      client.discard(entry.clientMsgId);
      throw error;
    }
    ctx.stdout.write(`Sent to ${visible(chat.info.peer.username)}.\n`);
  },
};

async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}
