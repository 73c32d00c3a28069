// The configured topics (a taxonomy of AI/ML, security, infrastructure and development), and the
// rule that puts a signal in topics: a taxonomy topic takes a signal that mentions one of its
// keyword phrases; an emergent topic one that has EMERGENT_MIN_KEYWORDS of its keywords or is close
// to the centroid it emerged with. Both rules depend only on the signal and the topic's fixed
// definition, never on other signals, so the daily job assigns the same way however often it runs.
import type { TopicKind } from '../../model/topic.js';
import { cosine, tokenize } from './vectors.js';

export interface TaxonomyTopic {
  /** Slash-separated, lower case (`ai/llm/agents`); unique; the parent path is the broader topic. */
  path: string;
  name: string;
  /**
   * Words or phrases that put a signal in the topic, matched on stemmed tokens (`agents` finds
   * `agent`, `zero-day` finds `zero day`). Prefer specific ones: one match is enough.
   */
  keywords: readonly string[];
}

export const TAXONOMY: readonly TaxonomyTopic[] = [
  {
    path: 'ai/ml',
    name: 'Machine learning',
    keywords: ['machine learning', 'deep learning', 'neural network', 'neural net', 'backpropagation', 'gradient descent', 'supervised learning', 'unsupervised learning', 'self-supervised', 'pytorch', 'tensorflow', 'jax', 'scikit-learn', 'xgboost'],
  },
  {
    path: 'ai/ml/rl',
    name: 'Reinforcement learning',
    keywords: ['reinforcement learning', 'rlhf', 'reward model', 'policy gradient', 'q-learning', 'ppo', 'dpo', 'grpo', 'multi-armed bandit', 'markov decision process', 'reward hacking'],
  },
  {
    path: 'ai/ml/vision',
    name: 'Computer vision',
    keywords: ['computer vision', 'image classification', 'object detection', 'image segmentation', 'semantic segmentation', 'convolutional', 'vision transformer', 'yolo', 'image recognition', 'optical character recognition'],
  },
  {
    path: 'ai/ml/generative-media',
    name: 'Generative images, video and audio',
    keywords: ['diffusion model', 'stable diffusion', 'text-to-image', 'image generation', 'video generation', 'text-to-speech', 'speech synthesis', 'generative adversarial', 'midjourney', 'voice cloning'],
  },
  {
    path: 'ai/ml/efficiency',
    name: 'Efficient training and models',
    keywords: ['quantization', 'distillation', 'pruning', 'mixed precision', 'lora', 'qlora', 'flash attention', 'mixture of experts', 'small language model', 'parameter-efficient'],
  },
  {
    path: 'ai/llm',
    name: 'Large language models',
    keywords: ['llm', 'large language model', 'language model', 'gpt', 'chatgpt', 'claude', 'gemini', 'llama', 'mistral', 'qwen', 'deepseek', 'transformer', 'context window', 'prompt engineering', 'fine-tuning'],
  },
  {
    path: 'ai/llm/agents',
    name: 'Agents and tool use',
    keywords: ['ai agent', 'llm agent', 'agentic', 'multi-agent', 'autonomous agent', 'tool use', 'tool calling', 'function calling', 'mcp', 'model context protocol', 'computer use', 'coding agent'],
  },
  {
    path: 'ai/llm/rag',
    name: 'Retrieval-augmented generation',
    keywords: ['rag', 'retrieval augmented', 'retrieval-augmented generation', 'vector database', 'vector search', 'embedding model', 'semantic search', 'reranker', 'reranking', 'hybrid search'],
  },
  {
    path: 'ai/llm/evaluation',
    name: 'Evaluation and benchmarks',
    keywords: ['llm evaluation', 'model evaluation', 'evals', 'leaderboard', 'mmlu', 'humaneval', 'swe-bench', 'chatbot arena', 'llm benchmark', 'lm-eval'],
  },
  {
    path: 'ai/llm/inference',
    name: 'Inference and serving',
    keywords: ['inference', 'vllm', 'llama.cpp', 'ollama', 'gguf', 'tensorrt', 'kv cache', 'speculative decoding', 'tokens per second', 'model serving'],
  },
  {
    path: 'ai/safety',
    name: 'AI safety and alignment',
    keywords: ['ai safety', 'alignment', 'jailbreak', 'prompt injection', 'red teaming', 'interpretability', 'hallucination', 'guardrails', 'sycophancy'],
  },
  {
    path: 'security/vulnerabilities',
    name: 'Vulnerabilities and exploits',
    keywords: ['vulnerability', 'cve', 'exploit', 'zero-day', 'remote code execution', 'rce', 'buffer overflow', 'security advisory', 'xss', 'sql injection', 'privilege escalation', 'security flaw'],
  },
  {
    path: 'security/supply-chain',
    name: 'Software supply chain',
    keywords: ['supply chain attack', 'software supply chain', 'malicious package', 'typosquatting', 'dependency confusion', 'sbom', 'compromised package', 'backdoor'],
  },
  {
    path: 'security/privacy',
    name: 'Privacy and data protection',
    keywords: ['privacy', 'gdpr', 'data breach', 'data leak', 'surveillance', 'end-to-end encryption', 'personal data'],
  },
  {
    path: 'infra/cloud',
    name: 'Cloud platforms',
    keywords: ['aws', 'azure', 'gcp', 'google cloud', 'cloudflare', 'serverless', 'cloud outage', 'cloud provider', 'ec2'],
  },
  {
    path: 'infra/containers',
    name: 'Containers and orchestration',
    keywords: ['kubernetes', 'k8s', 'docker', 'container image', 'helm chart', 'podman', 'service mesh'],
  },
  {
    path: 'infra/databases',
    name: 'Databases',
    keywords: ['database', 'postgres', 'postgresql', 'mysql', 'sqlite', 'redis', 'mongodb', 'duckdb', 'clickhouse', 'query planner', 'sql'],
  },
  {
    path: 'infra/observability',
    name: 'Observability',
    keywords: ['observability', 'opentelemetry', 'prometheus', 'grafana', 'distributed tracing', 'monitoring', 'alerting'],
  },
  {
    path: 'dev/languages',
    name: 'Programming languages',
    keywords: ['rust', 'golang', 'python', 'typescript', 'javascript', 'kotlin', 'zig', 'haskell', 'compiler', 'type system', 'programming language'],
  },
  {
    path: 'dev/tools',
    name: 'Developer tools',
    keywords: ['vscode', 'neovim', 'ide', 'git', 'github actions', 'ci/cd', 'linter', 'debugger', 'copilot', 'code review'],
  },
  {
    path: 'dev/web',
    name: 'Web development',
    keywords: ['react', 'frontend', 'css', 'web browser', 'webassembly', 'wasm', 'next.js', 'node.js', 'web framework'],
  },
  {
    path: 'dev/open-source',
    name: 'Open source',
    keywords: ['open-source license', 'open source license', 'maintainer', 'open source foundation', 'relicensing', 'source available'],
  },
  {
    path: 'hardware/accelerators',
    name: 'Chips and accelerators',
    keywords: ['gpu', 'gpus', 'nvidia', 'cuda', 'tpu', 'tpus', 'semiconductor', 'h100', 'b200', 'accelerator', 'risc-v', 'chip'],
  },
];

/** A topic ready to match signals: its keywords as stemmed phrases, and its centroid if it has one. */
export interface CompiledTopic {
  id: string;
  path: string;
  kind: TopicKind;
  /** Stemmed phrases, tokens joined by one space (`retrieval-augmented generation` → `retrieval augment generation`). */
  phrases: readonly string[];
  /** Emergent topics: the centroid of the signals they emerged with (fixed). */
  centroid: Float32Array | undefined;
}

export interface TopicDefinition {
  id: string;
  path: string;
  kind: TopicKind;
  /** Taxonomy: words and phrases as written. Emergent: the cluster's stems, matched as they are. */
  keywords: readonly string[];
  centroid?: Float32Array | null;
}

/** Longest keyword phrase matched, in tokens; longer ones are cut to this. */
const MAX_PHRASE_TOKENS = 4;

export function compileTopic(topic: TopicDefinition): CompiledTopic {
  const phrases = new Set<string>();
  for (const keyword of topic.keywords) {
    // Emergent keywords are stems already: stemming a stem again can change it (speed → spe).
    const tokens = topic.kind === 'emergent' ? keyword.split(' ').filter((token) => token !== '') : tokenize(keyword);
    if (tokens.length > 0) phrases.add(tokens.slice(0, MAX_PHRASE_TOKENS).join(' '));
  }
  return { id: topic.id, path: topic.path, kind: topic.kind, phrases: [...phrases], centroid: topic.centroid ?? undefined };
}

/** What assignment reads of a signal, prepared once per signal. */
export interface SignalFeatures {
  /** Every 1- to MAX_PHRASE_TOKENS-gram of the signal's tokens, joined by one space. */
  grams: ReadonlySet<string>;
  vector: Float32Array;
}

export function signalFeatures(tokens: readonly string[], vector: Float32Array): SignalFeatures {
  const grams = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    for (let n = 1; n <= MAX_PHRASE_TOKENS && i + n <= tokens.length; n++) grams.add(tokens.slice(i, i + n).join(' '));
  }
  return { grams, vector };
}

export interface TopicAssignment {
  topicId: string;
  path: string;
  /** In (0, 1]: how strongly the signal belongs (more keywords or a closer centroid, more weight). */
  weight: number;
}

/** Keywords of an emergent topic a signal must have to join it by keywords alone. */
export const EMERGENT_MIN_KEYWORDS = 2;
/** Cosine to an emergent topic's centroid at or above which a signal joins it without keywords. */
export const EMERGENT_ASSIGN_SIMILARITY = 0.5;
/** Topics one signal is put in at most (the strongest; ties by path). */
export const MAX_TOPICS_PER_SIGNAL = 4;

/** 1 matching keyword → 0.5, 2 → 0.75, 3 or more → 1. */
function keywordWeight(matches: number): number {
  return Math.min(1, 0.25 + 0.25 * matches);
}

function matchCount(topic: CompiledTopic, grams: ReadonlySet<string>): number {
  let matches = 0;
  for (const phrase of topic.phrases) if (grams.has(phrase)) matches++;
  return matches;
}

/**
 * The topics `signal` belongs to, strongest first (ties by path), at most MAX_TOPICS_PER_SIGNAL:
 * a taxonomy topic when one of its phrases occurs; an emergent topic when EMERGENT_MIN_KEYWORDS of
 * its keywords occur or the signal's vector is within EMERGENT_ASSIGN_SIMILARITY of its centroid.
 */
export function assignTopics(signal: SignalFeatures, taxonomy: readonly CompiledTopic[], emergent: readonly CompiledTopic[]): TopicAssignment[] {
  const found: TopicAssignment[] = [];
  for (const topic of taxonomy) {
    const matches = matchCount(topic, signal.grams);
    if (matches > 0) found.push({ topicId: topic.id, path: topic.path, weight: keywordWeight(matches) });
  }
  for (const topic of emergent) {
    const matches = matchCount(topic, signal.grams);
    const byKeywords = matches >= EMERGENT_MIN_KEYWORDS ? keywordWeight(matches) : 0;
    const similarity = topic.centroid === undefined ? 0 : cosine(signal.vector, topic.centroid);
    const bySimilarity = similarity >= EMERGENT_ASSIGN_SIMILARITY ? similarity : 0;
    const weight = Math.min(1, Math.max(byKeywords, bySimilarity));
    if (weight > 0) found.push({ topicId: topic.id, path: topic.path, weight });
  }
  found.sort((a, b) => b.weight - a.weight || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return found.slice(0, MAX_TOPICS_PER_SIGNAL);
}
