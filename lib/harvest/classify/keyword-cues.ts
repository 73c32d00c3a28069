// The keyword classifier's vocabulary: weighted cues per category, per sentiment and for urgency,
// as data. Weights: 3 = on its own it decides (`outage`, `cve`), 2 = a clear cue, 1 = a hint that
// needs company. A cue in the title counts twice (TITLE_WEIGHT in keyword.ts). Phrase syntax:
// lexicon.ts (`*` = any word ending, a space = any whitespace). Within one table a phrase appears
// once; key order is the tie-break priority (the more severe or more specific label first).
import type { CueTable } from './lexicon.js';

/** Post and story categories, `other` excepted (the answer when nothing reaches the minimum). */
export const POST_CATEGORY_CUES = {
  outage: [
    ['outage', 3], ['outages', 3], ['downtime', 3], ['is down', 3], ['are down', 3], ['went down', 3],
    ['down for everyone', 3], ['service disruption', 3], ['service unavailable', 3], ['goes down', 2],
    ['degraded', 2], ['unavailable', 2], ['unreachable', 2], ['not loading', 2], ['offline', 2],
    ['not responding', 2], ['status page', 2], ['incident', 2], ['bad gateway', 2], ['502', 2], ['503', 2],
    ['504', 1], ['timing out', 2], ['timeouts', 1], ['cannot connect', 2], ["can't connect", 2], ['down', 1],
  ],
  security: [
    ['vulnerability', 3], ['vulnerabilities', 3], ['cve', 3], ['exploit*', 3], ['zero-day', 3], ['0-day', 3],
    ['0day', 3], ['breach*', 3], ['hacked', 3], ['malware', 3], ['ransomware', 3], ['phishing', 3],
    ['backdoor*', 3], ['rce', 3], ['remote code execution', 3], ['privilege escalation', 3],
    ['sql injection', 3], ['prompt injection', 3], ['xss', 3], ['supply chain attack', 3], ['ddos', 3],
    ['security patch', 3], ['security advisory', 3], ['vulnerable', 2], ['compromised', 2], ['leak*', 2],
    ['jailbreak*', 2], ['advisory', 2], ['exposed', 1], ['security', 1], ['credential*', 1], ['api key*', 1],
    ['attack*', 1],
  ],
  bug: [
    ['segfault*', 3], ['memory leak', 3], ['bug', 2], ['bugs', 2], ['buggy', 2], ['crash*', 2],
    ['regression', 2], ['broken', 2], ['broke', 2], ['stack trace', 2], ['traceback', 2], ['not working', 2],
    ["doesn't work", 2], ['does not work', 2], ["isn't working", 2], ['glitch*', 2], ['infinite loop', 2],
    ['error', 1], ['errors', 1], ['exception', 1], ['fails', 1], ['failing', 1], ['wrong', 1],
    ['workaround', 1], ['issue', 1], ['issues', 1], ['hangs', 1], ['freezes', 1],
  ],
  question: [
    ['how do i', 3], ['how can i', 3], ['does anyone', 3], ['anyone know', 3], ['has anyone', 3], ['ask hn', 3],
    ['how do you', 2], ['is there a', 2], ['is there any', 2], ['is it possible', 2], ['what is the best', 2],
    ["what's the best", 2], ['which is better', 2], ['should i', 2], ['any advice', 2], ['any idea*', 2],
    ['any recommendation*', 2], ['eli5', 2], ['question', 2], ['need help', 2], ['why does', 2], ['how to', 1],
    ['recommendations', 1], ['help', 1], ['wondering', 1], ['why is', 1],
  ],
  praise: [
    ['kudos', 3], ['shoutout', 3], ['shout-out', 3], ['great job', 3], ['nice work', 3], ['love', 2],
    ['loving', 2], ['loved', 2], ['amazing', 2], ['awesome', 2], ['impressive', 2], ['incredible', 2],
    ['fantastic', 2], ['excellent', 2], ['brilliant', 2], ['outstanding', 2], ['delightful', 2],
    ['thank you', 2], ['well done', 2], ['game changer', 2], ['game-changer', 2], ['blown away', 2],
    ['props to', 2], ['thanks', 1], ['great', 1], ['best', 1], ['beautiful', 1],
  ],
} as const satisfies CueTable<string>;

/** Artifact categories, `other` excepted; the kind's own category starts with KIND_PRIOR (keyword.ts). */
export const ARTIFACT_CATEGORY_CUES = {
  funding: [
    ['funding', 3], ['raises', 3], ['fundrais*', 3], ['series a', 3], ['series b', 3], ['series c', 3],
    ['seed round', 3], ['pre-seed', 3], ['valuation', 3], ['funded', 2], ['raised', 2], ['investors', 2],
    ['investment', 2], ['grant', 2], ['grants', 2], ['awarded', 2], ['fellowship', 2], ['nsf', 2], ['darpa', 2],
    ['venture', 1], ['million', 1], ['billion', 1],
  ],
  conference: [
    ['neurips', 3], ['icml', 3], ['iclr', 3], ['cvpr', 3], ['iccv', 3], ['eccv', 3], ['emnlp', 3], ['naacl', 3],
    ['aaai', 3], ['ijcai', 3], ['kdd', 3], ['sigir', 3], ['siggraph', 3], ['icra', 3], ['iros', 3],
    ['call for papers', 3], ['acl', 2], ['colm', 2], ['conference', 2], ['workshop', 2], ['symposium', 2],
    ['keynote', 2], ['proceedings', 2], ['accepted at', 2], ['accepted to', 2], ['camera-ready', 2],
    ['oral presentation', 2], ['accepted by', 1], ['spotlight', 1], ['summit', 1],
  ],
  lab_milestone: [
    ['milestone', 3], ['unveil*', 3], ['world record', 3], ['record-breaking', 3], ['system card', 3],
    ['general availability', 3], ['generally available', 3], ['announce*', 2], ['introducing', 2],
    ['launch*', 2], ['new record', 2], ['technical report', 2], ['model card', 2], ['flagship', 2],
    ['achieve*', 1], ['deepmind', 1], ['openai', 1], ['anthropic', 1], ['google research', 1], ['meta ai', 1],
    ['microsoft research', 1], ['lab', 1], ['laboratory', 1],
  ],
  breakthrough: [
    ['breakthrough', 3], ['breakthroughs', 3], ['unprecedented', 3], ['for the first time', 3],
    ['first-ever', 3], ['paradigm shift', 3], ['superhuman', 3], ['orders of magnitude', 2], ['revolutioni*', 2],
    ['surpass*', 2], ['significantly outperform*', 2], ['solves', 2], ['solved', 2], ['human-level', 2],
    ['state-of-the-art', 1], ['state of the art', 1], ['sota', 1], ['outperform*', 1], ['dramatically', 1],
  ],
  open_source_release: [
    ['open source', 3], ['open-source', 3], ['open sourced', 3], ['open-sourced', 3], ['open weights', 3],
    ['open-weight*', 3], ['we release', 3], ['we open-source', 3], ['code is available', 3],
    ['code available', 2], ['publicly available', 2], ['github.com', 2], ['huggingface', 2], ['hugging face', 2],
    ['apache-2.0', 2], ['apache 2.0', 2], ['mit license', 2], ['toolkit', 2], ['released', 1], ['release', 1],
    ['releases', 1], ['library', 1], ['framework', 1], ['sdk', 1], ['cli', 1], ['checkpoint*', 1], ['weights', 1],
  ],
  preprint: [
    ['preprint', 3], ['arxiv', 2], ['in this paper', 2], ['in this work', 2], ['we propose', 2], ['we prove', 2],
    ['we present', 1], ['we introduce', 1], ['paper', 1], ['abstract', 1], ['theorem', 1],
  ],
} as const satisfies CueTable<string>;

/** Sentiment of posts (artifacts are neutral). Negation is not modelled: "not great" counts as great. */
export const SENTIMENT_CUES = {
  positive: [
    ['love', 2], ['loving', 2], ['loved', 2], ['amazing', 2], ['awesome', 2], ['excellent', 2], ['fantastic', 2],
    ['impressive', 2], ['incredible', 2], ['brilliant', 2], ['kudos', 2], ['well done', 2], ['works great', 2],
    ['works perfectly', 2], ['delightful', 2], ['great', 1], ['good', 1], ['nice', 1], ['cool', 1], ['happy', 1],
    ['glad', 1], ['thank*', 1], ['fixed', 1], ['resolved', 1], ['recommend*', 1], ['best', 1], ['fast', 1],
    ['faster', 1], ['beautiful', 1], ['helpful', 1],
  ],
  negative: [
    ['hate', 2], ['terrible', 2], ['awful', 2], ['horrible', 2], ['worst', 2], ['sucks', 2], ['useless', 2],
    ['unacceptable', 2], ['ridiculous', 2], ['disappoint*', 2], ['frustrat*', 2], ['angry', 2], ['furious', 2],
    ['scam', 2], ['wtf', 2], ['annoying', 1], ['broken', 1], ['bug', 1], ['bugs', 1], ['buggy', 1], ['crash*', 1],
    ['fail*', 1], ['outage*', 1], ['down', 1], ['downtime', 1], ['error*', 1], ['slow', 1], ['problem*', 1],
    ['issue*', 1], ['worse', 1], ['lost', 1], ['vulnerab*', 1], ['breach*', 1], ['leak*', 1], ['exploit*', 1],
    ['not working', 1], ["doesn't work", 1], ['ugh', 1],
  ],
} as const satisfies CueTable<string>;

/** Added to a post's category base urgency (URGENCY_BASE in keyword.ts); the sum is capped at 5. */
export const POST_URGENCY_CUES = {
  urgent: [
    ['emergency', 2], ['data loss', 2], ['actively exploited', 2], ['sev1', 2], ['sev-1', 2], ['p0', 2],
    ['patch now', 2], ['update now', 2], ['upgrade now', 2], ['urgent', 1], ['urgently', 1], ['asap', 1],
    ['immediately', 1], ['right now', 1], ['critical', 1], ['production', 1], ['prod', 1], ['all users', 1],
    ['in the wild', 1], ['zero-day', 1], ['0-day', 1], ['p1', 1], ['still down', 1], ['widespread', 1],
    ['worldwide', 1],
  ],
} as const satisfies CueTable<string>;

/** An artifact's urgency: only strong time cues (a deadline, breaking news), from 0, capped at 5. */
export const ARTIFACT_URGENCY_CUES = {
  urgent: [
    ['breaking', 2], ['just released', 2], ['just announced', 2], ['just launched', 2], ['deadline', 2],
    ['last chance', 2], ['vulnerability', 2], ['cve', 2], ['now available', 1], ['available today', 1],
    ['today', 1], ['closes', 1], ['embargo', 1], ['urgent', 1], ['critical', 1],
  ],
} as const satisfies CueTable<string>;
