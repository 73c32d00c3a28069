// A serverless plugin (CommonJS: the framework require()s local plugins): outside the local stage,
// credentials reach the functions only from Secrets Manager (SECRETS_ID), never as plaintext in the
// template's environment, where anyone who can read the function's configuration sees them. A
// package or deploy of another stage with one of them set in the shell stops here, saying which
// and what to do, instead of quietly dropping it (serverless.yml no longer reads them there).
'use strict';

/**
 * The credentials serverless.yml used to copy from the deploying shell. The two metrics URLs are
 * credentials too: both may carry basic auth in their userinfo (lib/metrics/push-common.ts).
 */
const SECRET_VARIABLES = ['DATABASE_URL', 'ADMIN_API_KEY', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'PUSHGATEWAY_URL', 'VICTORIA_METRICS_URL'];

class PlaintextSecretsGuard {
  constructor(serverless, options) {
    const check = () => {
      const stage = (options && options.stage) || serverless.service.provider.stage;
      if (stage === 'local') return;
      const set = SECRET_VARIABLES.filter((name) => (process.env[name] ?? '') !== '');
      if (set.length === 0) return;
      const message =
        `refusing to package stage "${stage}" with ${set.join(', ')} set in the shell: outside the local stage ` +
        `credentials come only from the Secrets Manager secret (signal-harvester/${stage}), never from the template's ` +
        `plaintext environment. Put them in the secret (README, Deploy, step 3), unset them here, and run again.`;
      const ServerlessError = serverless.classes && serverless.classes.Error;
      throw ServerlessError ? new ServerlessError(message) : new Error(message);
    };
    this.hooks = { 'before:package:initialize': check, 'before:deploy:function:initialize': check };
  }
}

module.exports = PlaintextSecretsGuard;
