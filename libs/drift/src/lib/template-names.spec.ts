import { categoricalSketch } from './sketch';
import { ReferenceTemplateNames } from './template-names';

describe('ReferenceTemplateNames', () => {
  const names = new ReferenceTemplateNames(categoricalSketch({ 'GET <*> in <*>': 50, 'GET <*> in <*> ms from cache': 5, 'slow query took <*>': 3 }));

  it('counts a live template under the most specific reference template that covers it', () => {
    expect(names.nameOf('GET <*> <*> in <*> ms')).toBe('GET <*> in <*>');
    expect(names.nameOf('GET <*> in <*> ms from cache')).toBe('GET <*> in <*> ms from cache');
    expect(names.nameOf('slow query took <*> ms')).toBe('slow query took <*>');
  });

  it('keeps the text of a template no reference pattern covers (unseen)', () => {
    expect(names.nameOf('fan <*> failed')).toBe('fan <*> failed');
    expect(new ReferenceTemplateNames(null).nameOf('x <*>')).toBe('x <*>');
  });

  it('renames and sums lines per reference name', () => {
    expect([...names.rename([['GET <*> <*> in <*> ms', 4], ['GET <*> in <*>', 6], ['fan <*> failed', 1]])]).toEqual([
      ['GET <*> in <*>', 10],
      ['fan <*> failed', 1],
    ]);
  });
});
