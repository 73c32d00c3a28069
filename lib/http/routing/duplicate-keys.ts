// JSON.parse keeps the last of two equal keys in an object ({"tier":"api_key","tier":"admin"} is
// admin), so what a client meant and what a proxy, a log or a signature check read can differ. A
// body is refused instead: this scans text JSON.parse has already accepted (so it is well-formed)
// once, tracking the keys of every open object, and names the first key given twice.

type Segment = string | number;

interface Container {
  /** Keys seen so far; undefined for an array. */
  keys: Set<string> | undefined;
  /** Whether the next string in this object is a key (after `{` or `,`). */
  expectKey: boolean;
  /** The current key (object) or index (array): where a nested value sits. */
  at: Segment;
  /** Path of this container itself. */
  path: Segment[];
}

/** The path (`['filters', 'tags']`) of the first key an object of `text` repeats, or undefined. */
export function firstDuplicateKey(text: string): Segment[] | undefined {
  const stack: Container[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.keys !== undefined && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return [...top.path, key];
        top.keys.add(key);
        top.at = key;
        top.expectKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      const path = top === undefined ? [] : [...top.path, top.at];
      stack.push({ keys: char === '{' ? new Set() : undefined, expectKey: char === '{', at: 0, path });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',' && top !== undefined) {
      if (top.keys !== undefined) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}
