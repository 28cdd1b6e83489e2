/**
 * `parley listen [--json]`: print incoming messages as they arrive, one per line, until
 * interrupted. Messages that arrived while this device was away are printed first (bots resume
 * where they stopped). The user's own messages are not printed.
 */
import type { Message } from '@parley/client';
import { CliError, EXIT } from '../cli-error.js';
import { expectArgs, flag, type Command } from '../command.js';
import { ConnectionNotes } from '../connection-notes.js';
import { Directory } from '../directory.js';
import { messageText } from '../files/attachment-text.js';
import { formatTime, jsonLine, visible } from '../format.js';
import { untilInterrupted } from '../signals.js';
import { fitTo } from '../wrap.js';

export const listen: Command = {
  name: 'listen',
  args: '',
  summary: 'print incoming messages live, one per line (for bots and scripts)',
  options: { json: { type: 'boolean' } },
  optionHelp: [
    '--json             one JSON object per line:',
    '                   {"from","fromId","conversationId","seq","ts","body","live"}, and',
    '                   "attachment" ({"kind","fileId","name","size","mime",...}) with a file',
  ],
  async run(ctx, input) {
    expectArgs(input);
    const json = flag(input.values, 'json');
    const client = await ctx.open();
    let printing = Promise.resolve();
    let directory: Directory | null = null;
    const print = async (message: Message, live: boolean): Promise<void> => {
      const me = client.user;
      if (!me || message.senderId === me.id) return;
      directory ??= new Directory(client, me);
      const from = await directory.name(message.senderId);
      const s = ctx.style;
      const line = json
        ? jsonLine({
            from,
            fromId: message.senderId,
            conversationId: message.conversationId,
            seq: message.seq,
            ts: message.ts,
            body: message.body,
            live,
            ...(message.attachment ? { attachment: message.attachment } : {}),
          })
        : fitTo(
            ctx.stdout,
            `${s.dim(formatTime(message.ts))} ${s.peer(`${visible(from, s.control)}:`)} ${messageText(message, s.control)}`,
          );
      ctx.stdout.write(`${line}\n`);
    };
    // Subscribed before connecting, so messages replayed during the first sync are printed too;
    // the chain keeps them in arrival order while names are looked up.
    client.on('message', ({ message, live }) => {
      printing = printing.then(() => print(message, live)).catch(() => undefined);
    });
    const notes = new ConnectionNotes(client.state);
    client.on('state', (state) => {
      const note = notes.next(state);
      if (note?.kind === 'lost') ctx.note(`connection lost (${note.reason}); reconnecting…`);
      if (note?.kind === 'unreachable') {
        ctx.note(`cannot reach the server at ${ctx.server} (${note.reason}); retrying…`);
      }
      if (note?.kind === 'back') ctx.note('connected');
    });
    const { me } = await ctx.session(client, true);
    ctx.note(`Listening as ${me.username} on ${ctx.server}. Ctrl-C to stop.`);
    const ended = new Promise<CliError>((resolve) => {
      client.on('sessionEnded', ({ reason }) =>
        resolve(new CliError(`the session ended (${reason}): log in again`, EXIT.auth)),
      );
    });
    const outcome = await Promise.race([untilInterrupted(), ended]);
    await printing;
    if (outcome instanceof CliError) throw outcome;
  },
};
