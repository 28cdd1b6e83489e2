/**
 * `parley friend <action> <username> ...`: add (a request with a note), accept, decline, cancel,
 * remove, block, unblock, remark and group.
 */
import type { ParleyClient, User } from '@parley/client';
import { CliError, toCliError, usageError } from '../cli-error.js';
import type { Command, CommandInput } from '../command.js';
import { visible } from '../format.js';

const ACTIONS = [
  'add',
  'accept',
  'decline',
  'cancel',
  'remove',
  'block',
  'unblock',
  'remark',
  'group',
] as const;
type Action = (typeof ACTIONS)[number];

function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** The user a command names, by exact username. */
async function lookUp(client: ParleyClient, me: User, username: string): Promise<User> {
  if (username.toLowerCase() === me.username) throw new CliError(`you are ${me.username}`);
  try {
    return await client.findUser(username);
  } catch (error) {
    throw toCliError(error, username);
  }
}

/** The text after the username for remark and group; none clears it. */
function label(input: CommandInput): string | null {
  const text = input.positionals.slice(2).join(' ').trim();
  return text === '' ? null : text;
}

export const friend: Command = {
  name: 'friend',
  args: '<action> <username>',
  summary: 'add, accept, decline, cancel, remove, block, unblock, remark, group',
  options: { note: { type: 'string' } },
  optionHelp: [
    'add <username> [--note <text>]   send a friend request with a note',
    'accept|decline <username>        answer their request',
    'cancel <username>                withdraw your request',
    'remove <username>                end the friendship (for both)',
    'block|unblock <username>         block: no messages or requests from them',
    'remark <username> [text]         your private name for a friend (none: clear it)',
    'group <username> [text]          the group a friend is listed under (none: ungrouped)',
  ],
  async run(ctx, input) {
    const [action, username] = input.positionals;
    if (action === undefined) throw usageError('missing action (add, accept, remove...)');
    if (!isAction(action)) throw usageError(`unknown friend action "${action}"`);
    if (username === undefined) throw usageError('missing username');
    const takesText = action === 'remark' || action === 'group';
    if (!takesText && input.positionals.length > 2) {
      throw usageError(`unexpected argument "${input.positionals[2]}"`);
    }
    const note = input.values['note'];
    if (note !== undefined && action !== 'add') throw usageError('--note goes with "friend add"');

    const { client, me } = await ctx.session();
    const peer = await lookUp(client, me, username);
    const name = visible(peer.username, ctx.style.control);
    const done = (text: string): void => void ctx.stdout.write(`${text}\n`);
    try {
      switch (action) {
        case 'add':
          await client.sendFriendRequest(peer.id, typeof note === 'string' ? note : undefined);
          return done(`Friend request sent to ${name}.`);
        case 'accept':
          await client.acceptFriend(peer.id);
          return done(`You and ${name} are friends now.`);
        case 'decline':
          await client.declineFriend(peer.id);
          return done(`Declined ${name}'s request.`);
        case 'cancel':
          await client.cancelFriendRequest(peer.id);
          return done(`Withdrew your request to ${name}.`);
        case 'remove':
          await client.removeFriend(peer.id);
          return done(`Removed ${name} from your friends.`);
        case 'block':
          await client.block(peer.id);
          return done(`Blocked ${name}: no messages or requests from them.`);
        case 'unblock':
          await client.unblock(peer.id);
          return done(`Unblocked ${name}.`);
        case 'remark':
        case 'group': {
          const { friends } = await client.refreshContacts();
          const current = friends.find((f) => f.user.id === peer.id);
          if (!current) throw new CliError(`${name} is not your friend`);
          const text = label(input);
          await client.editFriend(peer.id, {
            remark: action === 'remark' ? text : current.remark,
            grouping: action === 'group' ? text : current.grouping,
          });
          return done(text === null ? `Cleared the ${action} of ${name}.` : `Saved.`);
        }
        default: {
          const unknownAction: never = action;
          throw new Error(`unhandled action ${String(unknownAction)}`);
        }
      }
    } catch (error) {
      throw friendError(error, action, name);
    }
  },
};

/** What a refusal means for this action, in words that say what to do. */
function friendError(error: unknown, action: Action, name: string): CliError {
  const code = (error as { code?: unknown }).code;
  if (code === 'not_found') {
    switch (action) {
      case 'accept':
      case 'decline':
        return new CliError(`${name} has sent you no friend request (see "parley requests")`);
      case 'cancel':
        return new CliError(`you have no request waiting with ${name}`);
      case 'unblock':
        return new CliError(`${name} is not blocked`);
      default:
        return new CliError(`${name} is not your friend`);
    }
  }
  return toCliError(error);
}
