// Where a watch's feeds live, for a given feed token and the host the request came to.
import type { FeedFormat } from './render.js';

export function feedUrls(origin: string, token: string): Record<FeedFormat, string> {
  return {
    atom: `${origin}/v1/feeds/${token}.atom`,
    rss: `${origin}/v1/feeds/${token}.rss`,
    json: `${origin}/v1/feeds/${token}.json`,
  };
}
