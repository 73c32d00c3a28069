// The query language of lib/db: parameterised SQL as tagged templates (sql-template-tag, ~1 KB).
// Values always travel as parameters ($1, $2, …); `raw` is only for fragments that are constants
// in our code (column names picked from a fixed map), never for anything a client sent.
export { default as sql, join, raw, empty, bulk, Sql } from 'sql-template-tag';
