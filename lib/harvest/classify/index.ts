// The classifier a harvest run uses, chosen from configuration: the LLM (with the keyword
// classifier as its fallback) when LLM_API_URL is set, the keyword classifier alone otherwise.
// Create one per run: it holds the run's LLM budget and counts.
import type { Config } from '../../config.js';
import { copyStats, emptyStats, type Classifier } from './classifier.js';
import { classifyByKeywords } from './keyword.js';
import { createLlmClassifier } from './llm.js';

export { LLM_FALLBACK_REASONS, type Classifier, type ClassifierStats, type LlmFallbackReason } from './classifier.js';
export { classifyByKeywords, type KeywordInput } from './keyword.js';
export { chatCompletionsUrl, createLlmClassifier, type LlmClassifierOptions } from './llm.js';
export { categoriesFor, isArtifactKind } from './categories.js';

/** The configuration a classifier reads. */
export type ClassifierConfig = Pick<Config, 'LLM_API_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_BUDGET_PER_RUN' | 'LLM_TIMEOUT_MS'>;

export interface ClassifierOptions {
  /** The run's signal (its time budget); an aborted run stops asking the LLM. */
  signal?: AbortSignal;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/** Keywords only: synchronous work behind the same interface. */
export function createKeywordClassifier(): Classifier {
  const stats = emptyStats();
  return {
    classify(item) {
      stats.items += 1;
      stats.keyword += 1;
      return Promise.resolve(classifyByKeywords(item));
    },
    stats: () => copyStats(stats),
  };
}

export function createClassifier(config: ClassifierConfig, options: ClassifierOptions = {}): Classifier {
  if (config.LLM_API_URL === undefined) return createKeywordClassifier();
  return createLlmClassifier({
    url: config.LLM_API_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL,
    budget: config.LLM_BUDGET_PER_RUN,
    timeoutMs: config.LLM_TIMEOUT_MS,
    signal: options.signal,
    fetch: options.fetch,
  });
}
