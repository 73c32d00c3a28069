// A watch's Slack webhook URL: only https://hooks.slack.com webhook paths are accepted, and what is
// shown of one never suffices to post with it.
import { describe, expect, it } from 'vitest';
import { slackUrlHint, slackUrlProblem } from '../../../../../lib/delivery/slack/slack-url.js';

const URL_OK = 'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx';

describe('a Slack webhook URL', () => {
  it('is accepted on hooks.slack.com over https with a webhook path', () => {
    expect(slackUrlProblem(URL_OK)).toBeUndefined();
    expect(slackUrlProblem('https://hooks.slack.com/triggers/T0123ABCD/123456/abcdef0123')).toBeUndefined();
  });

  it.each([
    ['not a url', 'must be a URL'],
    ['http://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijkl', 'must be an https:// URL'],
    ['https://hooks.slack.com.evil.example/services/T0123ABCD/B0456EFGH/abc', 'must be a Slack incoming webhook on hooks.slack.com'],
    ['https://user:pw@hooks.slack.com/services/T0123ABCD/B0456EFGH/abc', 'must be a Slack incoming webhook on hooks.slack.com'],
    ['https://hooks.slack.com:8443/services/T0123ABCD/B0456EFGH/abc', 'must be a Slack incoming webhook on hooks.slack.com'],
    ['https://127.0.0.1/services/T0123ABCD/B0456EFGH/abc', 'must be a Slack incoming webhook on hooks.slack.com'],
    ['https://hooks.slack.com/api/chat.postMessage', 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)'],
    ['https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abc?x=1', 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)'],
  ])('refuses %s', (url, problem) => {
    expect(slackUrlProblem(url)).toBe(problem);
  });

  it('is shown as a hint that keeps its secret part hidden', () => {
    const hint = slackUrlHint(URL_OK);
    expect(hint).toBe('hooks.slack.com/services/T0…/…uvwx');
    expect(hint).not.toContain('B0456EFGH');
    expect(hint).not.toContain('abcdefghijklmnop');
  });
});
