/**
 * Searching messages: the user's conversations only, newest first, paged by search position
 * (the message's place in the index, which grows as messages are stored).
 */
import { sql } from 'kysely';
import type { MessageRow } from '../schema.js';
import type { SearchPage, SearchQuery } from '../store.js';
import { queryTerms } from '../../search/tokenize.js';
import type { QueryContext } from './context.js';
import { toMessage } from './messages.js';
import { fts5Match, tsqueryText } from './search-index.js';

export async function searchMessages(ctx: QueryContext, query: SearchQuery): Promise<SearchPage> {
  const terms = queryTerms(query.text);
  if (terms.length === 0) return { hits: [], more: false };
  const { userId, conversationId, before, limit } = query;
  const inConversation =
    conversationId === undefined ? sql`` : sql`and m.conversation_id = ${conversationId}`;
  const mine = sql`m.conversation_id in
    (select conversation_id from conversation_members where user_id = ${userId})`;
  const rows =
    ctx.dialect === 'sqlite'
      ? await sql<MessageRow & { position: number }>`
          select message_search.rowid as position, m.* from message_search
          join messages m on m.rowid = message_search.rowid
          where message_search match ${fts5Match(terms)}
            and message_search.rowid < ${before ?? Number.MAX_SAFE_INTEGER}
            and ${mine} ${inConversation}
          order by message_search.rowid desc
          limit ${limit + 1}`.execute(ctx.db)
      : await sql<MessageRow & { position: number }>`
          select s.id as position, m.* from message_search s
          join messages m on m.conversation_id = s.conversation_id and m.seq = s.seq
          where s.tokens @@ cast(${tsqueryText(terms)} as tsquery)
            and s.id < ${before ?? Number.MAX_SAFE_INTEGER}
            and ${mine} ${inConversation}
          order by s.id desc
          limit ${limit + 1}`.execute(ctx.db);
  const page = rows.rows.slice(0, limit);
  return {
    hits: page.map(({ position, ...row }) => ({
      message: toMessage(row),
      position: Number(position),
    })),
    more: rows.rows.length > limit,
  };
}
