import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../../infra/local/route-table.js';

function tableOf(routeKeys: string[]): RouteTable<string> {
  const table = new RouteTable<string>();
  for (const key of routeKeys) {
    if (key === '$default') table.add({ method: 'ANY', path: '$default' }, key);
    else {
      const [method = '', path = ''] = key.split(' ');
      table.add({ method, path }, key);
    }
  }
  return table;
}

describe('RouteTable', () => {
  const specificity = ['GET /items/latest', 'GET /items/{id}', 'GET /items/{proxy+}'];
  const orders = [specificity, [...specificity].reverse(), [specificity[1] ?? '', specificity[2] ?? '', specificity[0] ?? '']];

  it.each(orders)('prefers exact over {param} over {proxy+} whatever the insertion order (%s first)', (...keys) => {
    // Prepare
    const table = tableOf(keys);

    // Act
    const exact = table.match('GET', '/items/latest');
    const param = table.match('GET', '/items/42');
    const greedy = table.match('GET', '/items/42/comments');

    // Assess
    expect(exact?.target).toBe('GET /items/latest');
    expect(param?.target).toBe('GET /items/{id}');
    expect(greedy?.target).toBe('GET /items/{proxy+}');
    expect(table.keys()).toEqual(specificity);
  });

  it('prefers the route for the exact method over ANY on the same path, in either order', () => {
    // Prepare
    const anyFirst = tableOf(['ANY /health', 'GET /health']);
    const getFirst = tableOf(['GET /health', 'ANY /health']);

    // Act
    const matches = [anyFirst.match('GET', '/health'), getFirst.match('GET', '/health')];
    const post = anyFirst.match('POST', '/health');

    // Assess
    expect(matches.map((match) => match?.target)).toEqual(['GET /health', 'GET /health']);
    expect(post?.target).toBe('ANY /health');
  });

  it('does not match a route for another method', () => {
    // Prepare
    const table = tableOf(['GET /items']);

    // Act
    const match = table.match('POST', '/items');

    // Assess
    expect(match).toBeUndefined();
  });

  it('reports the route key and the decoded path parameters', () => {
    // Prepare
    const table = tableOf(['GET /users/{user}/items/{id}']);

    // Act
    const match = table.match('GET', '/users/ann%20lee/items/a%2Fb');

    // Assess
    expect(match).toEqual({
      target: 'GET /users/{user}/items/{id}',
      routeKey: 'GET /users/{user}/items/{id}',
      pathParameters: { user: 'ann lee', id: 'a/b' },
    });
  });

  it('captures the rest of the path in a greedy parameter', () => {
    // Prepare
    const table = tableOf(['ANY /files/{proxy+}']);

    // Act
    const match = table.match('GET', '/files/a/b/c.txt');
    const empty = table.match('GET', '/files');

    // Assess
    expect(match?.pathParameters).toEqual({ proxy: 'a/b/c.txt' });
    expect(empty).toBeUndefined();
  });

  it('needs every segment to match: no prefix or longer-path matches', () => {
    // Prepare
    const table = tableOf(['GET /items/{id}']);

    // Act
    const shorter = table.match('GET', '/items');
    const longer = table.match('GET', '/items/1/extra');

    // Assess
    expect(shorter).toBeUndefined();
    expect(longer).toBeUndefined();
  });

  it('answers with $default only when no route matches', () => {
    // Prepare
    const table = tableOf(['$default', 'GET /health']);

    // Act
    const hit = table.match('GET', '/health');
    const miss = table.match('GET', '/nope');
    const wrongMethod = table.match('DELETE', '/health');

    // Assess
    expect(hit?.routeKey).toBe('GET /health');
    expect(miss).toEqual({ target: '$default', routeKey: '$default', pathParameters: {} });
    expect(wrongMethod?.routeKey).toBe('$default');
    expect(table.keys()).toEqual(['GET /health', '$default']);
  });

  it('matches nothing when no route fits and there is no $default', () => {
    // Prepare
    const table = tableOf(['GET /health']);

    // Act
    const match = table.match('GET', '/nope');

    // Assess
    expect(match).toBeUndefined();
  });

  it('rejects a duplicate route key', () => {
    // Prepare
    const table = tableOf(['GET /health']);

    // Act
    const addAgain = (): void => table.add({ method: 'GET', path: '/health' }, 'again');

    // Assess
    expect(addAgain).toThrow('duplicate route GET /health');
  });

  it('rejects a second $default', () => {
    // Prepare
    const table = tableOf(['$default']);

    // Act
    const addAgain = (): void => table.add({ method: 'ANY', path: '$default' }, 'again');

    // Assess
    expect(addAgain).toThrow('$default');
  });
});

describe('a malformed escape in a path parameter', () => {
  it('is passed through undecoded instead of failing the request', () => {
    const table = new RouteTable<string>();
    table.add({ method: 'GET', path: '/items/{id}' }, 'items');

    expect(table.match('GET', '/items/%zz')?.pathParameters).toEqual({ id: '%zz' });
  });
});
