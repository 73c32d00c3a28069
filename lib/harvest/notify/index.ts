// Notifications of new important signals: which to send (select.ts, or lib/db/notify-repo.ts in
// SQL), the one Slack message of a run (slack-message.ts), and sending it (slack.ts). The pipeline
// marks signals notified (markNotified) only after `notifySlack` reports `sent: true`.
export { notificationScore, selectForNotification, type NotificationCandidate, type NotifyThresholds } from './select.js';
export { buildSlackMessage, escapeMrkdwn, MAX_SIGNALS_PER_MESSAGE, type SlackMessage, type SlackSignal } from './slack-message.js';
export { notifySlack, type SlackNotifyOptions, type SlackResult } from './slack.js';
