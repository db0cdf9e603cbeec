import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { corsOptions, helmetOf, inlineScriptHashes, securityHeaders } from './security-headers';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('inlineScriptHashes', () => {
  it("hashes the console's onload handler and inline scripts, not external ones", () => {
    const html = `<link rel="stylesheet" href="s.css" media="print" onload="this.media='all'"><script>window.x=1</script><script src="main.js" type="module"></script>`;
    const { hashes, handlers } = inlineScriptHashes(html);
    expect(handlers).toBe(true);
    expect(hashes.sort()).toEqual([sha("this.media='all'"), sha('window.x=1')].sort());
  });

  it('decodes entities in handlers, and finds nothing in a page without inline code', () => {
    expect(inlineScriptHashes(`<img onerror="a(&quot;b&quot;)">`).hashes).toEqual([sha('a("b")')]);
    expect(inlineScriptHashes('<script src="a.js"></script><style>p{}</style>')).toEqual({ hashes: [], handlers: false });
  });
});

describe('corsOptions', () => {
  it('is same-origin only by default, any origin for *, else exactly the listed origins', () => {
    expect(corsOptions('').origin).toBe(false);
    expect(corsOptions(' * ').origin).toBe('*');
    expect(corsOptions('https://a.example, https://b.example:8443/').origin).toEqual(['https://a.example', 'https://b.example:8443']);
  });
});

describe('securityHeaders', () => {
  it("sets helmet's headers, in helmet's order, and removes X-Powered-By as helmet does", async () => {
    const html = `<script>window.x=1</script>`;
    const headersOf = async (middleware: ReturnType<typeof securityHeaders>) => {
      const server = createServer((req, res) => {
        res.setHeader('X-Powered-By', 'something');
        middleware(req as never, res as never, () => res.end('ok'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        await res.text();
        const all: [string, string][] = [];
        res.headers.forEach((value, name) => all.push([name, value]));
        return all.filter(([name]) => name !== 'date' && name !== 'keep-alive' && name !== 'connection');
      } finally {
        server.close();
      }
    };
    const replayed = await headersOf(securityHeaders(html));
    expect(replayed).toEqual(await headersOf(helmetOf(html)));
    expect(replayed.map(([name]) => name)).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'cross-origin-resource-policy']));
    expect(replayed.find(([name]) => name === 'x-powered-by')).toBeUndefined();
  });
});
