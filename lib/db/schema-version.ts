// The newest migration this code expects, so a Lambda (which carries no .sql files) can tell
// whether its database is migrated. A test keeps it equal to the last file in infra/migrations.
export const EXPECTED_SCHEMA_VERSION = '0016';
