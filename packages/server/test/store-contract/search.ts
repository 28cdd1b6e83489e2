/** Contract cases: full-text search (search/tokenize.ts), Chinese and English, members only. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SearchQuery } from '../../src/store/store.js';
import type { GetFixture } from './fixture.js';
import { T0, msg } from './fixture.js';

export function searchCases(f: GetFixture): void {
  /** Bodies found by `text` for `userId`, newest first. */
  async function found(query: Omit<SearchQuery, 'limit'> & { limit?: number }): Promise<string[]> {
    const page = await f().store.search({ limit: 50, ...query });
    return page.hits.map((h) => h.message.body);
  }

  it('finds English words whole and by their start, case-insensitively, every word required', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    await store.appendMessages(
      [
        msg(conversationId, a.id, 'Meet me at the Station tomorrow'),
        msg(conversationId, b.id, 'the train was late'),
        msg(conversationId, a.id, 'stationery is on the desk'),
      ],
      T0,
    );
    assert.deepEqual(await found({ userId: b.id, text: 'station' }), [
      'stationery is on the desk',
      'Meet me at the Station tomorrow',
    ]);
    assert.deepEqual(await found({ userId: a.id, text: 'STATION tomorrow' }), [
      'Meet me at the Station tomorrow',
    ]);
    assert.deepEqual(await found({ userId: a.id, text: 'train' }), ['the train was late']);
    assert.deepEqual(await found({ userId: a.id, text: 'airport' }), []);
  });

  it('finds Chinese by one character and by two, inside a sentence with no spaces', async () => {
    const { store } = f();
    const { a, b, conversationId } = await f().pair();
    await store.appendMessages(
      [
        msg(conversationId, a.id, '我们明天去北京吧'),
        msg(conversationId, b.id, '南京市长江大桥'),
        msg(conversationId, b.id, '好的，没问题。'),
      ],
      T0,
    );
    assert.deepEqual(await found({ userId: a.id, text: '北京' }), ['我们明天去北京吧']);
    assert.deepEqual(await found({ userId: a.id, text: '京' }), [
      '南京市长江大桥',
      '我们明天去北京吧',
    ]);
    // Substrings a word segmenter would miss: 市长 spans 南京市 / 长江大桥.
    assert.deepEqual(await found({ userId: a.id, text: '市长' }), ['南京市长江大桥']);
    assert.deepEqual(await found({ userId: a.id, text: '明天去北京' }), ['我们明天去北京吧']);
    // In order only: the characters of 京北 are there, the phrase is not.
    assert.deepEqual(await found({ userId: a.id, text: '京北' }), []);
    assert.deepEqual(await found({ userId: a.id, text: '问题' }), ['好的，没问题。']);
  });

  it('finds a query that mixes Chinese and Latin, with full-width letters folded', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    await store.appendMessages(
      [
        msg(conversationId, a.id, '下午3点在Starbucks开会'),
        msg(conversationId, a.id, '用ＷｅＣｈａｔ联系我'),
        msg(conversationId, a.id, '开会 moved to Monday'),
      ],
      T0,
    );
    assert.deepEqual(await found({ userId: a.id, text: 'starbucks开会' }), [
      '下午3点在Starbucks开会',
    ]);
    assert.deepEqual(await found({ userId: a.id, text: 'wechat' }), ['用ＷｅＣｈａｔ联系我']);
    assert.deepEqual(await found({ userId: a.id, text: '开会 monday' }), ['开会 moved to Monday']);
  });

  it('finds nothing in a conversation the user is not a member of', async () => {
    const { store } = f();
    const mine = await f().pair();
    const theirs = await f().pair();
    await store.appendMessages(
      [
        msg(theirs.conversationId, theirs.a.id, 'secret plan 秘密计划'),
        msg(mine.conversationId, mine.a.id, 'public plan'),
      ],
      T0,
    );
    assert.deepEqual(await found({ userId: mine.a.id, text: 'secret' }), []);
    assert.deepEqual(await found({ userId: mine.a.id, text: '秘密' }), []);
    assert.deepEqual(await found({ userId: mine.a.id, text: 'plan' }), ['public plan']);
    // Naming their conversation does not help.
    assert.deepEqual(
      await found({ userId: mine.a.id, text: 'plan', conversationId: theirs.conversationId }),
      [],
    );
    assert.deepEqual(await found({ userId: theirs.b.id, text: 'plan' }), ['secret plan 秘密计划']);
  });

  it('searches one conversation when asked, and all of the user’s otherwise', async () => {
    const { store } = f();
    const a = await f().user();
    const b = await f().user();
    const c = await f().user();
    const ab = (await store.openDirect(a.id, b.id, T0)).conversation.id;
    const ac = (await store.openDirect(a.id, c.id, T0)).conversation.id;
    await store.appendMessages([msg(ab, a.id, 'lunch with b'), msg(ac, c.id, 'lunch with c')], T0);
    assert.deepEqual(await found({ userId: a.id, text: 'lunch' }), [
      'lunch with c',
      'lunch with b',
    ]);
    assert.deepEqual(await found({ userId: a.id, text: 'lunch', conversationId: ab }), [
      'lunch with b',
    ]);
  });

  it('pages newest first with a cursor, each hit once', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    for (let i = 1; i <= 7; i++) {
      await store.appendMessages([msg(conversationId, a.id, `第${i}次 reminder ${i}`)], T0 + i);
    }
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await store.search({ userId: a.id, text: 'reminder', limit: 3, before });
      seen.push(...page.hits.map((h) => h.message.body));
      if (!page.more) break;
      before = page.hits.at(-1)!.position;
    }
    assert.deepEqual(
      seen,
      [7, 6, 5, 4, 3, 2, 1].map((i) => `第${i}次 reminder ${i}`),
    );
    const chinese = await store.search({ userId: a.id, text: '次', limit: 5 });
    assert.equal(chinese.hits.length, 5);
    assert.equal(chinese.more, true);
  });

  it('answers a query with nothing searchable (punctuation only) with no hits', async () => {
    const { store } = f();
    const { a, conversationId } = await f().pair();
    await store.appendMessages([msg(conversationId, a.id, '?!...')], T0);
    assert.deepEqual(await found({ userId: a.id, text: '?!' }), []);
  });
}
