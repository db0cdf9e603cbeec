import { createHash } from 'node:crypto';
import { corsOptions, inlineScriptHashes } from './security-headers';

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
