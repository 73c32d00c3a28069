// Where sign-in may send the browser: a path on this site, normalised; every way to name another
// host (absolute URLs, scheme-relative, backslashes, whitespace a browser strips, dot segments that
// resolve to `//host`, scripts) is refused, so `next` can never be an open redirect.
import { describe, expect, it } from 'vitest';
import { localPath } from '../../../../../lib/web/session/local-path.js';

describe('localPath, the sign-in redirect target', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(localPath('/admin/jobs')).toBe('/admin/jobs');
    expect(localPath('/')).toBe('/');
    expect(localPath('/signals?q=rust&kind=repository#results')).toBe('/signals?q=rust&kind=repository#results');
    expect(localPath('/admin/keys/')).toBe('/admin/keys/');
  });

  it('percent-encodes what a header cannot carry, and resolves harmless dot segments', () => {
    expect(localPath('/signals?q=日本')).toBe('/signals?q=%E6%97%A5%E6%9C%AC');
    expect(localPath('/topics/<b>')).toBe('/topics/%3Cb%3E');
    expect(localPath('/admin/../signals')).toBe('/signals');
  });

  it.each([
    ['an absolute URL', 'https://evil.example/admin/jobs'],
    ['an absolute http URL', 'http://evil.example'],
    ['a scheme-relative URL', '//evil.example/admin'],
    ['a backslash host', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['a tab a browser strips', '/\t/evil.example'],
    ['a newline', '/admin\n/jobs'],
    ['a leading space', ' /admin/jobs'],
    ['a control character', '/admin\u0001jobs'],
    ['a NUL', '/\u0000'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a host without a scheme', 'evil.example/admin'],
    ['a relative path', 'admin/jobs'],
    ['dot segments that resolve to //host', '/..//evil.example'],
    ['a dot segment that resolves to //host', '/.//evil.example'],
    ['a backslash after dot segments', '/../\\evil.example'],
    ['nothing', ''],
    ['a path past 512 characters', `/${'a'.repeat(512)}`],
  ])('refuses %s', (_name, value) => {
    expect(localPath(value)).toBeUndefined();
  });

  it('refuses no value', () => {
    expect(localPath(undefined)).toBeUndefined();
  });
});
