/**
 * A small, lifelike world for the interface tests and the screenshots: Zoe and five people she
 * talks to, in English and Chinese, with some messages read and some not. Built through the SDK
 * from Node, as other devices of these people would.
 */
import type { ParleyClient } from '@parley/client';
import { sdkUser, sendAll, type WebServer } from './harness.js';

export const ME = 'zoe';
export const MAIN_PEER = 'li.wei';

type Line = [from: 'me' | 'peer', text: string];

/** Oldest conversation first: the list shows them newest first. */
const CHATS: [peer: string, lines: Line[], unreadAtEnd: number][] = [
  [
    'oskar',
    [
      ['me', 'See you tomorrow at the station'],
      ['peer', '👍'],
    ],
    0,
  ],
  [
    'alex.chen',
    [
      ['peer', 'Pushed the fix for the flaky reconnect test'],
      ['me', 'Nice, thanks! Merging it now.'],
    ],
    0,
  ],
  ['mei_lin', [['peer', '明天的会议改到下午三点了，记得带上周报 📋']], 1],
  [
    'sophie',
    [
      ['me', 'Can you send me the slides from today?'],
      ['peer', 'Sure, give me a minute'],
      ['peer', 'Sent them by mail. Let me know if anything is missing!'],
      ['me', 'Got them, thanks 🙏'],
    ],
    0,
  ],
  [
    MAIN_PEER,
    [
      ['peer', '周末一起去爬山吗？⛰️'],
      ['me', '好啊！几点出发？'],
      ['peer', '早上八点，地铁站见'],
      ['peer', '记得带水和防晒 ☀️'],
      ['me', 'OK 👍'],
      ['peer', 'Did you see the release notes? https://parley.example/releases/0.1'],
      ['me', 'Yes! Read receipts look great.\nAnd the offline queue too.'],
      ['peer', 'The new web client feels fast, even in long chats'],
      ['peer', 'Lunch at 12:30?'],
      ['peer', '🍜🥟'],
    ],
    2,
  ],
];

/** Creates the world on `web`; every SDK client is closed again afterwards. */
export async function seedWorld(web: WebServer): Promise<void> {
  const me = await sdkUser(web, ME);
  const clients: ParleyClient[] = [me];
  try {
    for (const [peerName, lines, unreadAtEnd] of CHATS) {
      const peer = await sdkUser(web, peerName);
      clients.push(peer);
      const mine = (await me.openDirect(peerName)).info.id;
      const theirs = (await peer.openDirect(ME)).info.id;
      for (const [from, text] of lines) {
        if (from === 'me') await sendAll(me, mine, [text]);
        else await sendAll(peer, theirs, [text]);
      }
      const read = lines.length - unreadAtEnd;
      if (read > 0) await me.markRead(mine, read);
      // The peer has read everything: Zoe's messages show as read.
      await peer.markRead(theirs, lines.length);
    }
  } finally {
    for (const client of clients) client.close();
  }
}
