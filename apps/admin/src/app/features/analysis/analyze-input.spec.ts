import { ApiError } from '../../core/api-error';
import { analyzeErrorText, inputToSend, sourceError } from './analyze-input';
import type { LogInput } from './log-input';

const ready: LogInput = { records: ['a'], lineNumbers: [1], bodyBytes: 5, blankLines: 0 };

describe('inputToSend', () => {
  it('sends the pasted text as its records, or says why not', () => {
    expect(inputToSend('paste', 'one\n\ntwo', { status: 'none' })).toMatchObject({
      input: { records: ['one', 'two'], lineNumbers: [1, 3] },
      what: 'the pasted text',
    });
    expect(inputToSend('paste', '', { status: 'none' })).toHaveProperty('error');
  });

  it('sends a file once it is read, named by its file name', () => {
    expect(inputToSend('file', 'ignored', { status: 'ready', name: 'ap.log', input: ready })).toEqual({
      input: ready,
      what: 'ap.log',
    });
    expect(inputToSend('file', '', { status: 'none' })).toEqual({
      error: 'Choose or drop a log file first.',
    });
    expect(inputToSend('file', '', { status: 'reading', name: 'ap.log' })).toEqual({
      error: 'Still reading ap.log; try again in a moment.',
    });
    expect(inputToSend('file', '', { status: 'error', message: 'not text' })).toEqual({ error: 'not text' });
  });
});

describe('sourceError', () => {
  it('takes no source or a valid name and refuses anything else', () => {
    expect(sourceError('')).toBeNull();
    expect(sourceError('site_1-a')).toBeNull();
    expect(sourceError('site 1')).toContain('letters, digits');
  });
});

describe('analyzeErrorText', () => {
  it('passes other errors through as the gateway worded them', () => {
    expect(analyzeErrorText(new ApiError('the array of records is empty', 400))).toBe(
      'the array of records is empty',
    );
    expect(analyzeErrorText(new Error('offline'))).toBe('offline');
  });

  it('explains a 413 with the limits and the way around them', () => {
    const text = analyzeErrorText(new ApiError('request body is too large.', 413));
    expect(text).toContain(
      '(HTTP 413): request body is too large. One analysis takes at most 10,000 records',
    );
    expect(text).toContain('Stored results');
  });
});
