/**
 * Searching one's own history: checks the query and the conversation asked for, asks the store
 * (which keeps to the user's conversations) and names each hit's conversation.
 */
import { SEARCH_PAGE_MAX, type ConversationInfo, type SearchResult } from '@parley/protocol';
import type { Store } from '../store/store.js';
import { queryTerms } from '../search/tokenize.js';
import { DomainError } from './errors.js';
import type { Membership } from './membership.js';
import { countWithinBudget, jsonBytes } from './page-budget.js';

export interface SearchDeps {
  store: Store;
  membership: Membership;
  /** Most bytes of results in one page (at least one result always goes). */
  pageBytes: number;
}

export interface SearchRequest {
  query: string;
  conversationId?: number | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export interface SearchResultsPage {
  results: SearchResult[];
  more: boolean;
  cursor?: number;
}

const DEFAULT_PAGE = 20;

export function createSearch({ store, membership, pageBytes }: SearchDeps) {
  return {
    async search(userId: number, request: SearchRequest): Promise<SearchResultsPage> {
      const { query, conversationId } = request;
      if (query.trim().length === 0) throw new DomainError('invalid', 'query: must not be blank');
      if (queryTerms(query).length === 0) {
        throw new DomainError('invalid', 'query: has no letters, digits or CJK characters');
      }
      if (conversationId !== undefined && !(await membership.members(conversationId)).has(userId)) {
        // As for history: "does not exist" and "not yours" answer alike.
        throw new DomainError('forbidden', 'you are not a member of that conversation');
      }
      const page = await store.search({
        userId,
        text: query,
        conversationId,
        before: request.before,
        limit: Math.min(request.limit ?? DEFAULT_PAGE, SEARCH_PAGE_MAX),
      });
      const infos = new Map<number, ConversationInfo>();
      for (const id of new Set(page.hits.map((h) => h.message.conversationId))) {
        const summary = await store.conversationFor(userId, id);
        if (summary !== null) infos.set(id, summary.info);
      }
      const named = page.hits.flatMap((hit) => {
        const conversation = infos.get(hit.message.conversationId);
        return conversation === undefined ? [] : [{ hit, conversation }];
      });
      const fits = countWithinBudget(named, pageBytes, ({ hit, conversation }) =>
        jsonBytes({ message: hit.message, conversation }),
      );
      const kept = named.slice(0, fits);
      const more = page.more || fits < named.length;
      const last = kept.at(-1)?.hit.position;
      return {
        results: kept.map(({ hit, conversation }) => ({ message: hit.message, conversation })),
        more,
        ...(more && last !== undefined ? { cursor: last } : {}),
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearch>;
