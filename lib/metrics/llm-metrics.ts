// LLM metrics (the seed's "LLM Metrics": requests_total, request_duration_seconds,
// tokens_used_total, labelled provider, model, status). Labels stay bounded: `provider` is the host
// of the configured LLM_API_URL and `model` the configured LLM_MODEL (both from config, never from
// an answer), `status` is `ok` or one of the classifier's failure reasons, `type` prompt/completion.
import { Counter, Histogram } from './prom.js';
import { registry } from './registry.js';

export const llmRequests = new Counter({
  name: 'llm_requests_total',
  help: 'Requests sent to the LLM, by provider, model and status (ok, http, timeout, network, aborted, invalid_json, invalid_answer).',
  labelNames: ['provider', 'model', 'status'] as const,
  registers: [registry],
});

export const llmRequestDuration = new Histogram({
  name: 'llm_request_duration_seconds',
  help: 'Time from sending an LLM request to its full answer (or failure), by provider, model and status.',
  labelNames: ['provider', 'model', 'status'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const llmTokensUsed = new Counter({
  name: 'llm_tokens_used_total',
  help: "Tokens the LLM reported using (the answer's usage), by provider, model, status and type (prompt, completion).",
  labelNames: ['provider', 'model', 'status', 'type'] as const,
  registers: [registry],
});

export interface LlmCall {
  provider: string;
  model: string;
  status: string;
  seconds: number;
  usage?: { promptTokens?: number; completionTokens?: number };
}

/** Records one finished LLM request. */
export function recordLlmCall(call: LlmCall): void {
  const labels = { provider: call.provider, model: call.model, status: call.status };
  llmRequests.inc(labels);
  llmRequestDuration.observe(labels, call.seconds);
  const { promptTokens = 0, completionTokens = 0 } = call.usage ?? {};
  if (promptTokens > 0) llmTokensUsed.inc({ ...labels, type: 'prompt' }, promptTokens);
  if (completionTokens > 0) llmTokensUsed.inc({ ...labels, type: 'completion' }, completionTokens);
}
