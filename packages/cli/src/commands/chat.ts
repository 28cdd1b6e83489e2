/**
 * `parley chat <username>`: an interactive conversation. Shows recent history, then live
 * messages; what is typed is sent, marked pending (…) until the server has it (✓), or failed (✗).
 * Messages typed while offline wait in the outbox and go out on reconnect. The prompt says when
 * the peer is typing, and the peer is told while this user types.
 */
import type { Attachment, Message, OutboxEntry } from '@parley/client';
import { CliError, EXIT, toCliError } from '../cli-error.js';
import { ChatFiles, FILE_HELP } from '../chat-files.js';
import { ChatView } from '../chat-view.js';
import { ConnectionNotes } from '../connection-notes.js';
import { expectArgs, type Command } from '../command.js';
import { messageText } from '../files/attachment-text.js';
import { formatTime, oneLine, visible } from '../format.js';
import { openChat } from '../open-chat.js';
import { presenceText } from '../presence-text.js';

const PAGE = 20;
const HELP = `Type to send. /more: older messages, ${FILE_HELP} /quit (or Ctrl-D): leave.`;

export const chat: Command = {
  name: 'chat',
  args: '<username>',
  summary: 'chat with a user live (/send-file, /save, /more, /quit, /help)',
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    const [username] = expectArgs(input, 'username') as [string];
    const client = await ctx.open();
    // Live messages that arrive while history loads wait here, so none is missed or doubled.
    const early: Message[] = [];
    let onMessage = (message: Message): void => void early.push(message);
    client.on('message', ({ message }) => onMessage(message));

    const { me } = await ctx.session(client);
    const conversation = await openChat(client, me, username);
    const chatId = conversation.info.id;
    const peer = conversation.info.peer;
    const s = ctx.style;
    const view = new ChatView(ctx.io.stdin, ctx.stdout, `${s.dim('>')} `);
    const shown = new Set<number>();
    /** Own messages typed here, by clientMsgId: their line shows the outbox status. */
    const mine = new Map<string, OutboxEntry>();
    let oldest: number | null = null;

    // Everything the server or the peer chose is shown through `v` or `oneLine`: never raw.
    const v = (text: string): string => visible(text, s.control);
    const name = (senderId: number): string =>
      senderId === me.id ? s.me(`${v(me.username)}:`) : s.peer(`${v(peer.username)}:`);
    const files = new ChatFiles(client, view, s, ctx.server, chatId);
    const line = (
      m: { senderId: number; ts: number; body: string; attachment?: Attachment | undefined },
      mark = '',
    ): string => {
      const hint = m.attachment ? files.hint(m.attachment) : '';
      return `${s.dim(formatTime(m.ts))} ${name(m.senderId)} ${messageText(m, s.control)}${hint}${mark}`;
    };
    const markOf = (entry: OutboxEntry): string => {
      if (entry.status === 'pending') return ` ${s.warn('…')}`;
      if (entry.status === 'sent') return ` ${s.ok('✓')}`;
      return ` ${s.error(`✗ ${oneLine(entry.error.message)}`)}`;
    };
    const show = (message: Message): void => {
      if (message.conversationId !== chatId || shown.has(message.seq)) return;
      shown.add(message.seq);
      oldest = oldest === null ? message.seq : Math.min(oldest, message.seq);
      if (mine.has(message.clientMsgId) && message.senderId === me.id) return;
      view.print(line(message));
      if (message.senderId !== me.id) markRead(message.seq);
    };

    let readTimer: ReturnType<typeof setTimeout> | null = null;
    let readSeq = 0;
    const markRead = (seq: number): void => {
      readSeq = Math.max(readSeq, seq);
      readTimer ??= setTimeout(() => {
        readTimer = null;
        client.markRead(chatId, readSeq).catch(() => undefined);
      }, 300);
    };

    view.print(s.bold(`Chat with ${v(peer.username)}`) + s.dim(` — ${HELP}`));
    // The peer's status now, then each change as a line (as irssi shows joins and quits).
    const [peerPresence] = await client.presence([peer.id]).catch(() => []);
    if (peerPresence) view.print(s.dim(`${v(peer.username)} is ${presenceText(peerPresence)}`));
    client.on('presence', (presence) => {
      if (presence.userId === peer.id)
        view.print(s.dim(`${v(peer.username)} is now ${presenceText(presence)}`));
    });
    const page = await client.history(chatId, { limit: PAGE });
    if (page.hasMore) view.print(s.dim('(/more for older messages)'));
    for (const m of page.messages) show(m);
    // The resume sync replays everything missed while away, older than this page too; printing
    // those below the page would put them out of order, so they wait for /more like any other.
    const first = page.messages[0]?.seq ?? 0;
    for (const m of early) if (m.seq > first) show(m);
    onMessage = show;

    client.on('outbox', ({ entry }) => {
      if (!mine.has(entry.clientMsgId)) return;
      mine.set(entry.clientMsgId, entry);
      const text = line({ senderId: me.id, ts: entry.createdAt, body: entry.body }, markOf(entry));
      const fallback =
        entry.status === 'failed' ? s.error(`✗ not sent: ${oneLine(entry.body, s.control)}`) : null;
      view.update(entry.clientMsgId, text, fallback);
      if (entry.status !== 'pending') view.release(entry.clientMsgId);
    });
    client.on('friendRequest', ({ request, live }) => {
      if (!live) return;
      const from = v(request.from.username);
      const note = request.note === '' ? '' : `: “${oneLine(request.note, s.control)}”`;
      view.print(
        `${s.warn(`friend request from ${from}`)}${note}` +
          s.dim(` (parley friend accept|decline ${from})`),
      );
    });
    client.on('typing', ({ conversationId, userIds }) => {
      if (conversationId !== chatId) return;
      view.setStatus(userIds.length > 0 ? s.dim(`${v(peer.username)} is typing…`) : null);
    });
    // What is typed at the prompt tells the peer "typing"; a /command being typed does not.
    view.onEdit((typed) => {
      const command = typed.startsWith('/') && !typed.startsWith('//');
      if (typed.trim() !== '' && !command) client.typing(chatId);
      else client.stopTyping(chatId);
    });
    const notes = new ConnectionNotes(client.state);
    client.on('state', (state) => {
      const note = notes.next(state);
      if (note?.kind === 'lost') {
        view.print(
          s.warn(
            `connection lost (${v(note.reason)}); reconnecting… what you type is sent when back`,
          ),
        );
      } else if (note?.kind === 'back') {
        view.print(s.ok('back online'));
      }
    });

    const more = async (): Promise<void> => {
      if (oldest === null || oldest <= 1) return view.print(s.dim('(start of the conversation)'));
      const older = await client.history(chatId, { before: oldest, limit: PAGE });
      if (older.messages.length === 0) return view.print(s.dim('(start of the conversation)'));
      view.print(s.dim(`── older messages (#${older.messages[0]!.seq}–#${oldest - 1}) ──`));
      for (const m of older.messages) {
        shown.add(m.seq);
        view.print(line(m));
      }
      oldest = older.messages[0]!.seq;
      view.print(
        s.dim(older.hasMore ? '── /more for older ──' : '── start of the conversation ──'),
      );
    };

    const finished = new Promise<CliError | null>((resolve) => {
      client.on('sessionEnded', ({ reason }) =>
        resolve(new CliError(`the session ended (${reason}): log in again`, EXIT.auth)),
      );
      view.rl.on('close', () => resolve(null));
      view.rl.on('SIGINT', () => resolve(null));
      view.rl.on('line', (typed) => {
        view.eraseEcho(typed);
        const text = typed.trim();
        if (text === '/quit' || text === '/exit') return resolve(null);
        if (text === '/more') {
          more().catch((error: unknown) => view.print(s.error(toCliError(error).message)));
        } else if (text === '/send-file' || text.startsWith('/send-file ')) {
          void files.send(text.slice('/send-file'.length).trim());
        } else if (text === '/save' || text.startsWith('/save ')) {
          void files.save(text.slice('/save'.length).trim());
        } else if (text === '/help') {
          view.print(s.dim(HELP));
        } else if (text.startsWith('/') && !text.startsWith('//')) {
          view.print(s.dim(`unknown command ${text}. ${HELP}`));
        } else if (text !== '') {
          const body = text.startsWith('//') ? text.slice(1) : typed;
          const entry = client.send(chatId, body);
          mine.set(entry.clientMsgId, entry);
          view.print(
            line({ senderId: me.id, ts: entry.createdAt, body }, markOf(entry)),
            entry.clientMsgId,
          );
        }
        view.prompt();
      });
    });
    view.prompt();
    const outcome = await finished;
    client.stopTyping(chatId);
    if (readTimer) clearTimeout(readTimer);
    view.close();
    ctx.stdout.write('\n');
    const unsent = client.outbox().filter((e) => e.status === 'pending').length;
    if (unsent > 0) {
      ctx.note(`${unsent} message(s) not sent yet: they go out the next time parley connects.`);
    }
    if (outcome) throw outcome;
  },
};
