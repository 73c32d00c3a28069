// Optional LLM classification through any OpenAI-compatible chat-completions endpoint (OpenAI,
// Azure-style gateways, vLLM, llama.cpp, Ollama). It is an enrichment, never a dependency: every
// failure — budget spent, timeout, refused connection, HTTP error, prose or out-of-range values —
// falls back to the keyword classifier for that item, counted by reason. One classifier serves one
// run and holds that run's budget; after a few failures in a row it stops asking for the rest of the
// run, so an LLM that is down costs a few timeouts, not LLM_BUDGET_PER_RUN of them. Neither the API
// key nor the prompt or item text is ever logged.
import { log } from '../../log/index.js';
import { recordLlmCall } from '../../metrics/llm-metrics.js';
import type { Classification, HarvestedItem } from '../types.js';
import { copyStats, emptyStats, type Classifier, type LlmFallbackReason } from './classifier.js';
import { classifyByKeywords } from './keyword.js';
import { buildMessages, readCompletion, type AnswerOutcome } from './llm-prompt.js';

export interface LlmClassifierOptions {
  /**
   * LLM_API_URL. A base URL (`https://api.openai.com/v1`) gets `/chat/completions` appended to its
   * path; a URL whose path already ends in `/chat/completions` is used as given (query kept).
   */
  url: string;
  /** LLM_API_KEY, sent as `Authorization: Bearer …`. Undefined = no header (a local server). */
  apiKey?: string;
  /** LLM_MODEL, the request's `model`. */
  model: string;
  /** The `provider` label of the LLM metrics. Default: the host of `url` (from config, so bounded). */
  provider?: string;
  /** LLM_BUDGET_PER_RUN: requests this classifier may send; later items go to keywords (`budget`). */
  budget: number;
  /** LLM_TIMEOUT_MS: budget of one request, reading the body included. */
  timeoutMs: number;
  /** Requests in flight at once, however many items the caller classifies concurrently. Default 4. */
  concurrency?: number;
  /** After this many failed requests in a row no more are sent this run (`circuit_open`). Default 3. */
  maxConsecutiveFailures?: number;
  /** The run's signal (its time budget): once aborted, no request is started and in-flight ones end. */
  signal?: AbortSignal;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;
const CHAT_COMPLETIONS = '/chat/completions';

/** The endpoint a configured LLM_API_URL stands for (see `LlmClassifierOptions.url`). */
export function chatCompletionsUrl(base: string): string {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(CHAT_COMPLETIONS) ? path : `${path}${CHAT_COMPLETIONS}`;
  return url.href;
}

/** Runs at most `max` tasks at once; a finished task hands its slot straight to the next waiting one. */
function slots(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) active -= 1;
      else next();
    }
  };
}

type Failure = { ok: false; reason: LlmFallbackReason; status?: number };

export function createLlmClassifier(options: LlmClassifierOptions): Classifier {
  const endpoint = chatCompletionsUrl(options.url);
  const send = options.fetch ?? fetch;
  const maxFailures = options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  const provider = options.provider ?? new URL(endpoint).hostname;
  const inSlot = slots(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const stats = emptyStats();
  /** Requests promised to items so far (queued or sent): the budget is taken when an item asks. */
  let reserved = 0;
  let consecutiveFailures = 0;
  /** One log line per reason per run, however many items fall back for it. */
  const logged = new Set<LlmFallbackReason>();

  function fallback(item: HarvestedItem, reason: LlmFallbackReason, status?: number): Classification {
    stats.fallbacks[reason] += 1;
    stats.keyword += 1;
    if (!logged.has(reason)) {
      logged.add(reason);
      // A spent budget is the plan working; anything else means the LLM did not do its job.
      const fields = { reason, budget: options.budget, ...(status === undefined ? {} : { status }) };
      if (reason === 'budget') log.info('llm budget spent, keyword classification for the rest of the run', fields);
      else log.warn('llm classification failed, keyword classification instead', fields);
    }
    return classifyByKeywords(item);
  }

  async function ask(item: HarvestedItem): Promise<AnswerOutcome | Failure> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    try {
      const response = await send(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: options.model, messages: buildMessages(item), response_format: { type: 'json_object' } }),
        signal,
      });
      // Read to the end either way: it frees the connection, and the timeout covers a stalled body.
      const body = await response.text();
      if (!response.ok) return { ok: false, reason: 'http', status: response.status };
      return readCompletion(body, item.kind);
    } catch {
      if (options.signal?.aborted === true) return { ok: false, reason: 'aborted' };
      return { ok: false, reason: timeout.aborted ? 'timeout' : 'network' };
    }
  }

  async function classifyWithLlm(item: HarvestedItem): Promise<Classification> {
    // Checked again after waiting for a slot: the run may have ended or the LLM failed meanwhile.
    if (options.signal?.aborted === true || consecutiveFailures >= maxFailures) {
      reserved -= 1;
      return fallback(item, options.signal?.aborted === true ? 'aborted' : 'circuit_open');
    }
    stats.llmCalls += 1;
    const started = performance.now();
    const outcome = await ask(item);
    recordLlmCall({ provider, model: options.model, status: outcome.ok ? 'ok' : outcome.reason, seconds: (performance.now() - started) / 1000, usage: 'usage' in outcome ? outcome.usage : undefined });
    if (outcome.ok) {
      consecutiveFailures = 0;
      stats.llm += 1;
      return outcome.classification;
    }
    consecutiveFailures += 1;
    return fallback(item, outcome.reason, 'status' in outcome ? outcome.status : undefined);
  }

  return {
    async classify(item) {
      stats.items += 1;
      if (options.signal?.aborted === true) return fallback(item, 'aborted');
      if (consecutiveFailures >= maxFailures) return fallback(item, 'circuit_open');
      if (reserved >= options.budget) return fallback(item, 'budget');
      reserved += 1;
      return inSlot(() => classifyWithLlm(item));
    },
    stats: () => copyStats(stats),
  };
}
