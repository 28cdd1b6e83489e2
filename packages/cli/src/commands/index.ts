/** Every command, in the order help lists them. */
import type { Command } from '../command.js';
import { chat } from './chat.js';
import { conversations } from './conversations.js';
import { devices } from './devices.js';
import { friend } from './friend.js';
import { friends, requests } from './friends.js';
import { help } from './help.js';
import { history } from './history.js';
import { listen } from './listen.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { passwd } from './passwd.js';
import { register } from './register.js';
import { files } from './files.js';
import { save } from './save.js';
import { send } from './send.js';
import { sendFile } from './send-file.js';
import { status } from './status.js';
import { whoami } from './whoami.js';

export const COMMANDS: readonly Command[] = [
  register,
  login,
  logout,
  whoami,
  status,
  devices,
  passwd,
  conversations,
  friends,
  requests,
  friend,
  send,
  sendFile,
  history,
  files,
  save,
  listen,
  chat,
  help,
];

export function findCommand(name: string): Command | null {
  return COMMANDS.find((c) => c.name === name) ?? null;
}
